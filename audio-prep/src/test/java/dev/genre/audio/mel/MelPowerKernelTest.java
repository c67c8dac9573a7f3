package dev.genre.audio.mel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The SIMD kernel against the scalar one over the shapes that stress it: both sub-FFT splits (log2 of
 * n_fft/2 even and odd), odd hops, reflect padding, magnitude spectra, clips shorter than a frame and
 * frame counts that leave the last lane group partly empty.
 */
class MelPowerKernelTest {
    @Test
    void testJvmRunsTheVectorKernel() {
        assertTrue(MelPowerKernel.vectorAvailable(), "surefire's argLine adds jdk.incubator.vector; without it these tests compare scalar with scalar");
        assertTrue(MelPowerKernel.create(MelParams.defaults(), new MelFilterBank(MelParams.defaults())) instanceof VectorMelPower);
    }

    @ParameterizedTest
    @CsvSource({
        "2048, 512, true, constant, 2, 128, 66150",
        "2048, 512, true, reflect, 2, 128, 22050",
        "4096, 333, true, reflect, 1, 96, 30000",
        "1024, 256, false, constant, 2, 64, 20000",
        "512, 1, false, constant, 2, 40, 700",
        "32, 7, true, reflect, 2, 4, 301",
        "16, 5, true, constant, 1, 3, 9",
        "2048, 512, true, constant, 2, 128, 1000",
    })
    void vectorKernelAgreesWithScalar(int nFft, int hop, boolean center, String pad, double power, int nMels, int samples) {
        MelParams p = new MelParams(22050, nFft, hop, MelParams.HANN, center, pad, power, nMels, 0, 11025, "slaney", "slaney",
                1.0, 1e-10, 80.0);
        float[] x = signal(samples);
        MelFilterBank bank = new MelFilterBank(p);
        float[] scalar = new ScalarMelPower(p, bank).melPower(x, null);
        float[] vector = MelPowerKernel.vector(p, bank).melPower(x, null);
        assertEquals(p.nMels() * p.frames(samples), vector.length, "shape");
        assertEquals(scalar.length, vector.length);
        float max = 0;
        for (float v : scalar) max = Math.max(max, v);
        assertTrue(max > 0, "the signal has energy");
        for (int i = 0; i < scalar.length; i++) {
            double tol = 1e-6 * Math.abs(scalar[i]) + 1e-12 * max;
            assertEquals(scalar[i], vector[i], tol, "band " + i / p.frames(samples) + ", frame " + i % p.frames(samples));
        }
    }

    /** A chirp, a tone burst and noise, so every band and frame has something different in it. */
    private static float[] signal(int n) {
        SplittableRandom r = new SplittableRandom(7);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            double t = i / 22050.0;
            x[i] = (float) (0.4 * Math.sin(2 * Math.PI * (100 + 2000 * t) * t) + (i % 4000 < 800 ? 0.3 * Math.sin(2 * Math.PI * 3520 * t) : 0)
                    + 0.05 * (r.nextDouble() - 0.5));
        }
        return x;
    }
}
