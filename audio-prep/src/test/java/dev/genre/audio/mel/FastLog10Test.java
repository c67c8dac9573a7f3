package dev.genre.audio.mel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FastLog10Test {
    @Test
    void agreesWithMathLog10AcrossTheFloatRange() {
        SplittableRandom r = new SplittableRandom(3);
        double worst = 0;
        for (int i = 0; i < 1_000_000; i++) {
            // random normal floats from 1e-30 to 1e30, plus powers of two and table points
            float x = (float) Math.pow(10, r.nextDouble(-30, 30));
            worst = Math.max(worst, Math.abs(FastLog10.of(x) - Math.log10(x)));
        }
        for (float x : new float[] {1f, 2f, 0.5f, 1e-10f, 1.0009765625f, Float.MIN_NORMAL, Float.MAX_VALUE}) {
            assertEquals(Math.log10(x), FastLog10.of(x), 1e-12, "x=" + x);
        }
        assertEquals(0, worst, 1e-12, "worst |error| " + worst);
    }
}
