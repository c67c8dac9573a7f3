package dev.genre.deploy.latency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genre.search.latency.Precision;
import dev.genre.search.spec.NetworkSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterleavedTimingTest {
    static LatencyStats p50(double ms) {
        return new LatencyStats(1, ms, ms, ms, ms, 0, ms);
    }

    @Test
    void eachModelGetsItsMedianRound() {
        LatencyStats a = p50(1.0), b = p50(5.0), c = p50(1.2), d = p50(0.9), e = p50(1.1);
        assertSame(e, InterleavedTiming.medianRound(List.of(a, b, c, d, e)), "a disturbed round (5.0) does not move the median");
        assertSame(a, InterleavedTiming.medianRound(List.of(b, a)), "even counts take the lower middle");
        assertSame(a, InterleavedTiming.medianRound(List.of(a)));
    }

    /** Real int8 networks in ONNX Runtime: each result belongs to its own model, with the runs split over the rounds. */
    @Test
    void timesRealModelsInRoundsAndKeepsThemApart() throws Exception {
        byte[] small = ProfileModels.network(ProfileModelsTest.SPEC, Precision.INT8, 1);
        byte[] large = ProfileModels.network(NetworkSpec.load("mobilenetv3-small"), Precision.INT8, 1);
        List<LatencyStats> t = InterleavedTiming.median(new LatencyTarget.Local(1, 2, 999), 30, 3, List.of(large, small, large));
        assertEquals(3, t.size());
        for (LatencyStats s : t) assertEquals(10, s.runs(), "30 runs over 3 rounds");
        assertTrue(t.get(0).p50() > 3 * t.get(1).p50(), "MobileNetV3-Small at 128 x 128 against a 32 x 32 toy: " + t);
        assertTrue(t.get(2).p50() > 3 * t.get(1).p50(), t.toString());
    }
}
