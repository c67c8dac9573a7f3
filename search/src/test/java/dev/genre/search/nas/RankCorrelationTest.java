package dev.genre.search.nas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Small lists whose coefficients can be counted by hand. */
class RankCorrelationTest {
    @Test
    void agreesWithScipyWithAndWithoutTies() {
        double[] a = {0.1, 0.4, 0.35, 0.8, 0.5}, b = {0.2, 0.3, 0.4, 0.9, 0.6};
        assertEquals(0.8, RankCorrelation.kendallTau(a, b), 1e-12);
        assertEquals(0.9, RankCorrelation.spearmanRho(a, b), 1e-12);
        assertEquals(1, RankCorrelation.kendallTau(a, a), 1e-12);
        double[] reversed = {0.8, 0.5, 0.55, 0.1, 0.4};
        assertEquals(-1, RankCorrelation.kendallTau(a, reversed), 1e-12);
        assertEquals(-1, RankCorrelation.spearmanRho(a, reversed), 1e-12);
        // Two ties in each list, none shared: the other 11 of 15 pairs concordant, tau-b = 11 / sqrt(13 * 13);
        // ranks (1, 2.5, 2.5, 4, 5.5, 5.5) and (1.5, 1.5, 3, 4.5, 4.5, 6) correlate at 15 / 16.5.
        double[] c = {1, 2, 2, 3, 4, 4}, d = {1, 1, 2, 3, 3, 4};
        assertEquals(11 / 13.0, RankCorrelation.kendallTau(c, d), 1e-12);
        assertEquals(15 / 16.5, RankCorrelation.spearmanRho(c, d), 1e-12);
    }
}
