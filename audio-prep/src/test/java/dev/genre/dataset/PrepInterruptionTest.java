package dev.genre.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genre.audio.synth.SyntheticDataset;
import dev.genre.io.AtomicFiles;
import dev.genre.io.Npy;
import dev.genre.run.Progress;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real prep process (SIGKILL) at several moments: each time no .npy is truncated, the
 * manifest lists only complete files, and the next run resumes; the end result equals an
 * uninterrupted run, byte for byte.
 */
class PrepInterruptionTest {
    @TempDir
    Path tmp;

    @Test
    void killedPrepLeavesAConsistentDatasetAndResumes() throws Exception {
        Path clips = tmp.resolve("clips"), killed = tmp.resolve("killed"), clean = tmp.resolve("clean");
        SyntheticDataset.write(clips, new SyntheticDataset.Options(4, 10, 12, 2), Progress.none());

        int kills = 0;
        for (long delay : new long[] {250, 500, 800, 1100, 1500, 2000}) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), PrepMain.class.getName(), clips.toString(), killed.toString())
                    .redirectErrorStream(true).start();
            p.getInputStream().read(); // wait for the JVM to start ("started")
            Thread.sleep(delay);
            if (p.isAlive()) {
                p.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
                kills++;
            }
            p.waitFor(30, TimeUnit.SECONDS);
            assertConsistent(killed);
        }
        assertTrue(kills >= 2, "the test must actually interrupt prep (killed " + kills + " times)");

        Manifest resumed = run(clips, killed);
        Manifest reference = run(clips, clean);
        assertTrue(resumed.complete());
        assertEquals(reference.clips(), resumed.clips(), "same entries, splits and hashes as an uninterrupted run");
        for (ClipEntry c : reference.clips()) {
            assertArrayEquals(Files.readAllBytes(clean.resolve(c.mel())), Files.readAllBytes(killed.resolve(c.mel())), c.mel());
        }
        try (Stream<Path> s = Files.walk(killed)) {
            assertEquals(0, s.filter(AtomicFiles::isTemporary).count(), "temporary files are swept");
        }
    }

    private static Manifest run(Path clips, Path out) throws IOException {
        return new DatasetPrep(PrepMain.options(), Progress.none(), new PrintStream(PrintStream.nullOutputStream())).run(clips, out);
    }

    /** Whatever the moment of the kill: every .npy is whole and every listed clip has one. */
    private static void assertConsistent(Path out) throws IOException {
        if (!Files.exists(out.resolve(Manifest.FILE))) return;
        Manifest m = Manifest.read(out);
        for (ClipEntry c : m.clips()) {
            Npy.Matrix mel = Npy.read(out.resolve(c.mel()));
            assertEquals(c.frames(), mel.cols(), c.mel());
        }
        List<Path> npys;
        try (Stream<Path> s = Files.walk(out)) {
            npys = s.filter(p -> p.toString().endsWith(".npy")).toList();
        }
        for (Path p : npys) Npy.read(p); // throws on a truncated file
    }
}
