package dev.genre.search.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClassBalanceTest {
    /** 12 segments: 9 of genre 0, 3 of genre 1, none of genre 2. */
    private static final int[] LABELS = {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1};

    @Test
    void theSamplerDrawsEveryPresentGenreEquallyOften() {
        int[] order = ClassBalance.SAMPLER.epochOrder(LABELS.length, i -> LABELS[i], 3, new SplittableRandom(1));
        assertEquals(LABELS.length, order.length, "an epoch is as long as the split");
        int[] drawn = new int[3];
        for (int s : order) drawn[LABELS[s]]++;
        assertArrayEquals(new int[] {6, 6, 0}, drawn);
        int[] times = new int[LABELS.length];
        for (int s : order) times[s]++;
        for (int s = 0; s < 9; s++) assertTrue(times[s] <= 1, "the large genre: a subset, no repeats");
        for (int s = 9; s < 12; s++) assertEquals(2, times[s], "the small genre: each segment twice");
    }

    @Test
    void noneVisitsEverySegmentOnceInTheShuffleItAlwaysHad() {
        int[] order = ClassBalance.NONE.epochOrder(LABELS.length, i -> LABELS[i], 3, new SplittableRandom(1));
        assertArrayEquals(Trainer.shuffled(LABELS.length, new SplittableRandom(1)), order, "recipes without balance train as before");
        assertNull(ClassBalance.NONE.targetWeights(LABELS.length, i -> LABELS[i], 3));
    }

    @Test
    void lossWeightsAreInverseFrequenciesWithMeanOnePerSegment() {
        float[] w = ClassBalance.LOSS.targetWeights(LABELS.length, i -> LABELS[i], 3);
        assertEquals(12.0 / (2 * 9), w[0], 1e-6);
        assertEquals(12.0 / (2 * 3), w[1], 1e-6);
        assertEquals(0, w[2]);
        double mean = 0;
        for (int l : LABELS) mean += w[l] / LABELS.length;
        assertEquals(1.0, mean, 1e-6);
    }
}
