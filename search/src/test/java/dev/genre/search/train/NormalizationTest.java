package dev.genre.search.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Dataset standardisation, and the experimental per-segment level that makes a gain change invisible. */
class NormalizationTest {
    static float[] segment(long seed, float gainDb) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[64];
        for (int i = 0; i < x.length; i++) x[i] = (float) (-40 + 15 * r.nextGaussian()) + gainDb;
        return x;
    }

    @Test
    void datasetLevelSubtractsTheTrainingMean() {
        float[] x = segment(1, 0);
        float[] y = x.clone();
        new Normalization(-30, 10, false).apply(y, 0, y.length);
        for (int i = 0; i < x.length; i++) assertEquals((x[i] + 30) / 10, y[i], 1e-5);
        // A louder copy of the segment reaches the network shifted by the gain over the spread.
        float[] louder = segment(1, 12);
        new Normalization(-30, 10, false).apply(louder, 0, louder.length);
        assertEquals(1.2, louder[0] - y[0], 1e-4);
    }

    @Test
    void segmentLevelRemovesAGainChange() {
        Normalization n = new Normalization(0, 10, true);
        float[] quiet = segment(2, -20), loud = segment(2, 6);
        n.apply(quiet, 0, quiet.length);
        n.apply(loud, 0, loud.length);
        assertArrayEquals(quiet, loud, 1e-4f);
        double mean = 0;
        for (float v : quiet) mean += v;
        assertEquals(0, mean / quiet.length, 1e-5);
        // Applied to one segment of a batch, it touches nothing else.
        float[] batch = new float[3 * 64];
        System.arraycopy(segment(3, 0), 0, batch, 64, 64);
        float[] before = batch.clone();
        n.apply(batch, 64, 64);
        for (int i = 0; i < 64; i++) assertEquals(before[i], batch[i]);
        assertTrue(batch[64] != before[64]);
    }

    @Test
    void perBandStandardisesEachBandAroundItsTrainingMean() {
        int bands = 4, frames = 16;
        double[] bandMean = {6, 2, -3, -9}, bandStd = {12, 8, 5, 2};
        Normalization n = new Normalization(0, 1, true, bandMean, bandStd);
        float[] x = segment(4, 0), y = x.clone();
        n.apply(y, 0, y.length);
        double level = 0;
        for (float v : x) level += v;
        level /= x.length;
        for (int m = 0; m < bands; m++) {
            for (int t = 0; t < frames; t++) {
                int j = m * frames + t;
                assertEquals((x[j] - level - bandMean[m]) / bandStd[m], y[j], 1e-4, "band " + m + ", frame " + t);
            }
        }
        // Still deaf to gain with the segment's own level.
        float[] louder = segment(4, 9);
        n.apply(louder, 0, louder.length);
        assertArrayEquals(y, louder, 1e-4f);
        assertThrows(IllegalArgumentException.class, () -> new Normalization(0, 1, true, bandMean, new double[3]));
    }

    @Test
    void anUnknownLevelIsRefused() {
        String old = System.getProperty("genre.level");
        System.setProperty("genre.level", "clip");
        try {
            assertThrows(IllegalArgumentException.class, Normalization::segmentLevelRequested);
        } finally {
            if (old == null) System.clearProperty("genre.level");
            else System.setProperty("genre.level", old);
        }
    }
}
