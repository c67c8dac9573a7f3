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

    /** Deletes a file or a folder with everything in it; nothing there is fine. */
    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (java.util.stream.Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
    }

    /**
     * Renames a fully written folder {@code staged} to {@code target}; an existing target is moved
     * aside first and then removed, so a reader sees the old folder or the new one, never half of one.
     */
    public static void replaceDirectory(Path staged, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling(target.getFileName() + TMP_MARKER + "old-" + System.nanoTime());
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
        if (old != null) deleteTree(old);
    }

    /** Copies a folder tree to {@code target} through a staged sibling and {@link #replaceDirectory}: never seen half-copied. */
    public static void copyDirectory(Path from, Path target) throws IOException {
        Path stage = target.resolveSibling(target.getFileName() + TMP_MARKER + "copy");
        deleteTree(stage);
        try (java.util.stream.Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path t = stage.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(t);
                else Files.copy(f, t, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        replaceDirectory(stage, target);
    }

    /**
     * Points the symlink {@code link} at {@code target} (relative, so the folder holding both can
     * move): a new link is made beside it and renamed over it, so readers see the old or the new target.
     */
    public static void replaceSymlink(Path link, Path target) throws IOException {
        Path dir = link.toAbsolutePath().normalize().getParent();
        Path tmp = dir.resolve(link.getFileName() + TMP_MARKER + "link");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, dir.relativize(target.toAbsolutePath().normalize()));
        Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
