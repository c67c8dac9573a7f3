package dev.genre.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes files so that a reader (or a later run) only ever sees a complete file: the bytes go to a
 * temporary sibling which is forced to disk and then renamed over the target. A kill at any moment
 * leaves either the old file, the new file, or an orphaned {@value #TMP_MARKER} file that
 * {@link #isTemporary} recognises and callers sweep away.
 */
public final class AtomicFiles {
    public static final String TMP_MARKER = ".tmp-";
    private static final AtomicLong COUNTER = new AtomicLong();

    private AtomicFiles() {}

    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    public static void write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(target.getFileName() + TMP_MARKER + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch), 1 << 16)) {
                writer.write(out);
                out.flush();
                ch.force(false);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    public static boolean isTemporary(Path p) {
        return p.getFileName().toString().contains(TMP_MARKER);
    }
}
