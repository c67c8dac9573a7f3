package dev.genre.deploy.latency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LatencyValidationTest {
    @Test
    void spearmanUsesMeanRanksForTies() {
        assertArrayEquals(new double[] {1, 2.5, 2.5, 4}, LatencyValidation.ranks(new double[] {1, 5, 5, 9}));
        assertEquals(1, LatencyValidation.spearman(new double[] {1, 2, 3, 4}, new double[] {10, 20, 35, 100}), 1e-12);
        assertEquals(-1, LatencyValidation.spearman(new double[] {1, 2, 3, 4}, new double[] {4, 3, 2, 1}), 1e-12);
        // d = (0, 0, 1, -1): rho = 1 - 6 * 2 / (4 * 15) = 0.8
        assertEquals(0.8, LatencyValidation.spearman(new double[] {1, 2, 3, 4}, new double[] {1, 2, 4, 3}), 1e-12);
    }
}
