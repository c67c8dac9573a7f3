package dev.genre.audio.mel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MelFilterBankTest {
    @Test
    void slaneyScaleIsLinearBelow1kHzAndLogAbove() {
        assertEquals(15.0, MelScale.hzToMel(1000, false), 1e-12);
        assertEquals(3.0, MelScale.hzToMel(200, false), 1e-12);
        assertEquals(15 + 27, MelScale.hzToMel(6400, false), 1e-9, "27 mels per factor 6.4 above 1 kHz");
        for (double hz : new double[] {0, 50, 999, 1000, 4321, 11025}) {
            assertEquals(hz, MelScale.melToHz(MelScale.hzToMel(hz, false), false), 1e-9);
            assertEquals(hz, MelScale.melToHz(MelScale.hzToMel(hz, true), true), 1e-9);
        }
    }

    @Test
    void sparseBankIsSmallAndEachBandIsAnAreaNormalisedTriangle() {
        MelParams p = MelParams.defaults();
        MelFilterBank bank = new MelFilterBank(p);
        assertEquals(128, bank.bands());
        assertTrue(bank.nonZeros() < 2 * bank.bins(), "non-zeros " + bank.nonZeros());
        double binHz = (double) p.sampleRate() / p.nFft();
        for (int m = 0; m < bank.bands(); m++) {
            double area = 0;
            int peaks = 0;
            double prev = 0;
            boolean falling = false;
            for (int k = 0; k < bank.bins(); k++) {
                double w = bank.weight(m, k);
                assertTrue(w >= 0);
                if (w < prev) falling = true;
                if (falling && w > prev + 1e-15) peaks++;
                prev = w;
                area += w * binHz;
            }
            assertEquals(0, peaks, "band " + m + " rises again after falling");
            // Slaney norm makes each triangle's area (in Hz) about 1; narrow low bands are sampled coarsely.
            if (m > 20) assertEquals(1.0, area, 0.05, "band " + m + " area");
        }
    }
}
