package dev.genre.search.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The pitch half of the tempo/pitch augmentation (the tempo half is in SegmentDatasetTest). */
class TempoPitchAugmentTest {
    static final int MELS = 6, FRAMES = 3;

    /** Band f holds 10 f + t, segment placed after a 5-value prefix that must stay untouched. */
    static float[] bands() {
        float[] x = new float[5 + MELS * FRAMES];
        for (int i = 0; i < 5; i++) x[i] = -1;
        for (int f = 0; f < MELS; f++) for (int t = 0; t < FRAMES; t++) x[5 + f * FRAMES + t] = 10 * f + t;
        return x;
    }

    @Test
    void wholeBinShiftsMoveBandsAndRepeatTheEdge() {
        float[] x = bands();
        Batches.shiftMels(x, 5, MELS, FRAMES, 2, new float[MELS * FRAMES]);
        for (int i = 0; i < 5; i++) assertEquals(-1, x[i]);
        for (int t = 0; t < FRAMES; t++) {
            assertEquals(t, x[5 + t]); // band 0 and 1 repeat the lowest band
            assertEquals(t, x[5 + FRAMES + t]);
            for (int f = 2; f < MELS; f++) assertEquals(10 * (f - 2) + t, x[5 + f * FRAMES + t], 1e-6);
        }
        float[] down = bands();
        Batches.shiftMels(down, 5, MELS, FRAMES, -1, new float[MELS * FRAMES]);
        for (int t = 0; t < FRAMES; t++) {
            for (int f = 0; f < MELS - 1; f++) assertEquals(10 * (f + 1) + t, down[5 + f * FRAMES + t], 1e-6);
            assertEquals(10 * (MELS - 1) + t, down[5 + (MELS - 1) * FRAMES + t], 1e-6);
        }
    }

    @Test
    void fractionalShiftsInterpolateBetweenBands() {
        float[] x = bands();
        Batches.shiftMels(x, 5, MELS, FRAMES, 0.25, new float[MELS * FRAMES]);
        // Band f reads position f - 0.25: three quarters of band f, one quarter of band f - 1.
        for (int f = 1; f < MELS; f++) for (int t = 0; t < FRAMES; t++) assertEquals(10 * f + t - 2.5, x[5 + f * FRAMES + t], 1e-5);
    }

    @Test
    void recipesRefuseNegativeAmounts() {
        TrainConfig d = TrainConfig.defaults();
        assertEquals(0, d.timeStretch());
        assertEquals(0, d.pitchShift());
        assertThrows(IllegalArgumentException.class, () -> d.withTempoPitch(-0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> d.withTempoPitch(0, -1));
        assertEquals(0.2, d.withTempoPitch(0.2, 3).timeStretch());
    }
}
