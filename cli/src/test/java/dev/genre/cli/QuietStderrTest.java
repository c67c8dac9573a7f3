package dev.genre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.genre.run.ChildJvm;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's stderr filter (cli/src/main/sh/quiet-stderr.pl) drops exactly its four lines and nothing else. */
class QuietStderrTest {
    static final Path FILTER = Path.of("src/main/sh/quiet-stderr.pl");
    static final String INCUBATOR = "WARNING: Using incubator modules: jdk.incubator.vector";
    static final String CUDA = "WARN ai.djl.util.cuda.CudaUtils - Failed to detect GPU count";
    static final String LIBTORCH = "Warning: AutoNonVariableTypeMode is deprecated";

    @TempDir
    Path tmp;

    @Test
    void aRealJvmsNoiseGoesAndItsErrorStays() throws Exception {
        assumePerl();
        Path raw = tmp.resolve("stderr.raw");
        Process child = new ProcessBuilder(ChildJvm.command(NoisyChildMain.class.getName())).redirectError(raw.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(child.waitFor(3, TimeUnit.MINUTES), "the child JVM ran");
        assertEquals(3, child.exitValue());
        String before = Files.readString(raw);
        // The child really prints the noise (on a machine without a CUDA runtime DJL's probe stays quiet).
        assertTrue(before.contains(INCUBATOR), before);
        assertTrue(before.contains(LIBTORCH), before);

        String after = filter(Files.readAllBytes(raw));
        assertFalse(after.contains(INCUBATOR) || after.contains(CUDA) || after.contains(LIBTORCH), after);
        assertTrue(after.contains("genre prep: clips/rock/bad.wav: not a WAV file (no RIFF header)\n"), after);
        assertEquals(before.lines().filter(l -> !l.contains(INCUBATOR) && !l.contains(CUDA) && !l.contains(LIBTORCH)).toList(),
                after.lines().toList(), "every other line, unchanged");
    }

    @Test
    void onlyTheExactLinesGo() throws Exception {
        assumePerl();
        List<String> kept = List.of(
                "WARNING: Using incubator modules: jdk.incubator.vector, jdk.incubator.foreign", // another module: say it
                "[main] WARN ai.djl.util.cuda.CudaUtils - CUDA out of memory",
                "[main] WARN ai.djl.pytorch.engine.PtEngine - Failed to detect GPU count: 0",
                "[W1207 06:48:16.686 LegacyTypeDispatch.h:74] Warning: something else entirely",
                "[W1207 15:48:17.730824489 NNPACK.cpp:57] Could not initialize NNPACK! Reason: out of memory",
                "genre classify: song.mp3: not an MP3 file",
                "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space");
        String noisy = INCUBATOR + "\n" + kept.get(0) + "\n[pool-1-thread-2] " + CUDA + ": CUDA driver version is insufficient (35)\n" + kept.get(1) + "\n"
                + kept.get(2) + "\n[W1207 06:48:16.686202862 LegacyTypeDispatch.h:74] " + LIBTORCH + " and will be removed in 1.10 release. (function operator())\n"
                + kept.get(3) + "\r\n" + kept.get(4) + "\n" + kept.get(5) + "\n" + kept.get(6) + "\n"
                + "[W1207 15:48:17.733510634 NNPACK.cpp:57] Could not initialize NNPACK! Reason: Unsupported hardware.\n"
                + "epoch 1/3: 2/9\repoch 1/3: 3/9";
        String expected = kept.get(0) + "\n" + kept.get(1) + "\n" + kept.get(2) + "\n" + kept.get(3) + "\r\n" + kept.get(4) + "\n" + kept.get(5) + "\n"
                + kept.get(6) + "\n" + "epoch 1/3: 2/9\repoch 1/3: 3/9";
        assertEquals(expected, filter(noisy.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aProgressBarShowsBeforeItsLineEnds() throws Exception {
        assumePerl();
        Process p = new ProcessBuilder("perl", FILTER.toString()).start();
        try (OutputStream in = p.getOutputStream(); InputStream out = p.getInputStream()) {
            in.write("prep: 3/242 (1%) 5.0/s blues.00001\r".getBytes(StandardCharsets.UTF_8));
            in.write("prep: 4/242".getBytes(StandardCharsets.UTF_8)); // no line end yet
            in.flush();
            String seen = read(out, "prep: 3/242 (1%) 5.0/s blues.00001\rprep: 4/242".length());
            assertEquals("prep: 3/242 (1%) 5.0/s blues.00001\rprep: 4/242", seen, "passed on while the line is still open");
        } finally {
            p.destroy();
        }
    }

    static String filter(byte[] input) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("perl", FILTER.toString()).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(input);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return out;
    }

    /** Reads n bytes, or fails after 10 s: a filter that holds a line back would never deliver them. */
    static String read(InputStream out, int n) throws Exception {
        byte[] b = new byte[n];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int got = 0;
        while (got < n && System.nanoTime() < deadline) {
            if (out.available() > 0) got += out.read(b, got, n - got);
            else Thread.sleep(10);
        }
        return new String(b, 0, got, StandardCharsets.UTF_8);
    }

    static void assumePerl() throws Exception {
        boolean perl;
        try {
            perl = new ProcessBuilder("perl", "-e", "1").start().waitFor() == 0;
        } catch (IOException e) {
            perl = false;
        }
        assumeTrue(perl, "perl is not installed: the launcher runs without its stderr filter here");
    }
}
