package dev.genre.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path tmp;

    static Npy.Matrix sample() {
        float[] d = new float[3 * 5];
        for (int i = 0; i < d.length; i++) d[i] = i * 0.5f - 3;
        return new Npy.Matrix(3, 5, d);
    }

    @Test
    void roundTripsAndHeaderIsAligned() throws IOException {
        Path f = tmp.resolve("m.npy");
        Npy.write(f, sample());
        byte[] bytes = Files.readAllBytes(f);
        int headerEnd = 10 + ((bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8);
        assertEquals(0, headerEnd % 64, "numpy aligns the data to 64 bytes");
        Npy.Matrix back = Npy.read(f);
        assertEquals(3, back.rows());
        assertArrayEquals(sample().data(), back.data());
    }

    @Test
    void truncatedFileIsRefused() throws IOException {
        Path f = tmp.resolve("t.npy");
        byte[] whole = Npy.encode(sample());
        Files.write(f, Arrays.copyOf(whole, whole.length - 4));
        IOException e = assertThrows(IOException.class, () -> Npy.read(f));
        assertEquals(true, e.getMessage().contains("truncated"));
    }

    @Test
    void numpyReadsWhatWeWrite() throws Exception {
        Path py = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(py), "no /usr/bin/python3");
        Process check = new ProcessBuilder(py.toString(), "-c", "import numpy").start();
        Assumptions.assumeTrue(check.waitFor() == 0, "python3-numpy not installed: skipped");
        Path f = tmp.resolve("m.npy");
        Npy.write(f, sample());
        Process p = new ProcessBuilder(py.toString(), "-c",
                "import numpy as np,sys; a=np.load(sys.argv[1]); print(a.dtype, a.shape, a.flags['C_CONTIGUOUS'], float(a[2,4]))", f.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.waitFor(), out);
        assertEquals("float32 (3, 5) True 4.0", out);
    }
}
