package dev.genre.search.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.genre.search.space.SearchSpace;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Real libtorch: the Java sampler and the DJL teacher-forced pass compute the same distribution. */
class LstmControllerTest {
    static final SearchSpace SPACE = SearchSpace.mobileNetV3Small(128, 128, 8);

    @Test
    void teacherForcedScoresMatchTheSampler() {
        int[] sizes = SPACE.decisionSizes();
        double maxEntropy = 0;
        for (int n : sizes) maxEntropy += Math.log(n);
        // initRange 1 makes the distributions far from uniform, so a wrong row or column would show.
        try (NDManager m = NDManager.newBaseManager();
             LstmController c = new LstmController(sizes, SearchSpace.DECISIONS_PER_BLOCK, 64, 5.0, 2.5, 1.0, 7, m)) {
            SplittableRandom rng = new SplittableRandom(3);
            for (int i = 0; i < 5; i++) {
                LstmController.Sample s = c.sample(rng);
                try (NDManager pass = m.newSubManager()) {
                    LstmController.Scores scores = c.score(s.tokens(), pass);
                    assertEquals(s.logProb(), scores.logProb().getFloat(), 1e-4 * Math.abs(s.logProb()), "sum of log p");
                    assertEquals(s.meanEntropy() * sizes.length, scores.entropy().getFloat(), 1e-3, "entropy along the sample");
                }
                assertTrue(s.logProb() < 0);
                assertTrue(s.meanEntropy() > 0 && s.meanEntropy() * sizes.length <= maxEntropy + 1e-9, "entropy " + s.meanEntropy());
            }
        }
    }
}
