package dev.genre.search.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationTest {
    /** One segment per clip; 6 clips of genre a (5 right), 2 of b (0 right: always called a), none of c. */
    @Test
    void macroScoresWeighEveryPresentGenreEqually() {
        int[] labels = {0, 0, 0, 0, 0, 0, 1, 1};
        float[][] probs = new float[8][];
        for (int i = 0; i < 8; i++) probs[i] = i == 5 ? new float[] {0.1f, 0.2f, 0.7f} : new float[] {0.8f, 0.1f, 0.1f};
        int[] clipOf = {0, 1, 2, 3, 4, 5, 6, 7};
        Evaluation e = Evaluation.of(probs, labels, clipOf, labels, List.of("a", "b", "c"));
        assertEquals(5.0 / 8, e.clipAccuracy(), 1e-12);
        assertEquals((5.0 / 6 + 0) / 2, e.clipMacroAccuracy(), 1e-12, "c has no clips: left out, not counted as 0");
        double pA = 5.0 / 7, rA = 5.0 / 6;
        assertEquals((2 * pA * rA / (pA + rA) + 0) / 2, e.clipMacroF1(), 1e-12);
        assertEquals(e.clipAccuracy(), e.segmentAccuracy(), 1e-12);
        assertEquals(e.clipMacroAccuracy(), e.segmentMacroAccuracy(), 1e-12);
        assertEquals(e.clipMacroAccuracy(), AccuracyMetric.MACRO.clip(e));
        assertEquals(e.clipAccuracy(), AccuracyMetric.MICRO.clip(e));

        int[] predicted = {0, 0, 0, 0, 0, 2, 0, 0};
        assertEquals(e.segmentMacroAccuracy(), AccuracyMetric.MACRO.of(predicted, labels, 3), 1e-12);
        assertEquals(e.segmentAccuracy(), AccuracyMetric.MICRO.of(predicted, labels, 3), 1e-12);
    }
}
