package dev.genre.deploy.latency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genre.io.Json;
import dev.genre.run.Progress;
import dev.genre.search.latency.DeviceProfile;
import dev.genre.search.latency.LatencyPredictor;
import dev.genre.search.latency.Precision;
import dev.genre.search.space.ArchChoice;
import dev.genre.search.space.SearchSpace;
import dev.genre.search.space.SkeletonBlock;
import dev.genre.search.spec.Activation;
import dev.genre.search.spec.HeadSpec;
import dev.genre.search.spec.Layer;
import dev.genre.search.spec.LayerKey;
import dev.genre.search.spec.NetworkSpec;
import dev.genre.search.spec.Skip;
import dev.genre.search.spec.SpecResolver;
import dev.genre.search.spec.StemSpec;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A profile of a deliberately tiny space, built on this machine: exactly the keys its children use, and a predictor that finds them all. */
class DeviceProfilerTest {
    /** 2 blocks, 1-2 options per decision: 16 children per block choice pair. */
    static final SearchSpace TINY = new SearchSpace(SearchSpace.FORMAT, new int[] {1, 16, 16}, 3, new StemSpec(3, 2, 8, Activation.HSWISH),
            List.of(new SkeletonBlock(8, 1, 1), new SkeletonBlock(16, 2, 1)), new HeadSpec(32, 48, Activation.HSWISH, 0.2),
            List.of("dconv", "mbconv3"), List.of(3), List.of(0.25), List.of(Skip.NONE, Skip.POOL), List.of(1.0), List.of(0, 1),
            List.of(Activation.RELU));

    static Set<String> childKeys() {
        Set<String> keys = new HashSet<>();
        int[] sizes = TINY.decisionSizes(), t = new int[sizes.length];
        while (true) {
            for (Layer row : SpecResolver.resolve(TINY.decode(ArchChoice.ofTokens(t)))) keys.add(LayerKey.of(row));
            int i = sizes.length - 1;
            while (i >= 0 && ++t[i] == sizes[i]) t[i--] = 0;
            if (i < 0) return keys;
        }
    }

    @Test
    void profileCoversEveryLayerOfEveryChild(@TempDir Path dir) throws Exception {
        DeviceProfile p = DeviceProfiler.build(TINY, new LatencyTarget.Local(1, 0, 2), new DeviceProfiler.Options(Precision.INT8, 1, 0, 2, "p50", 3, 1),
                Progress.none());
        assertEquals(childKeys(), p.layers().keySet());
        assertEquals(3, p.calibration().size());
        Json.write(dir.resolve("p.json"), p);
        DeviceProfile back = DeviceProfile.read(dir.resolve("p.json"));
        assertEquals(p.layers(), back.layers());
        LatencyPredictor predictor = new LatencyPredictor(back);
        for (DeviceProfile.CalibrationSpec c : back.calibration()) {
            NetworkSpec spec = TINY.decode(ArchChoice.ofTokens(tokens(c.key())));
            assertEquals(c.layerSumMs(), predictor.layerSumMs(spec), 1e-12);
            assertEquals(back.scale() * c.layerSumMs() + back.overheadMs(), predictor.predictMs(spec), 1e-12);
        }
    }

    @Test
    void scaleAndOverheadAreARobustLineThroughTheCalibrationNetworks() {
        // measured = 0.6 x sum + 0.1 exactly, plus one network the shared machine slowed down
        List<DeviceProfile.CalibrationSpec> cal = List.of(new DeviceProfile.CalibrationSpec("a", 1, 0.7), new DeviceProfile.CalibrationSpec("b", 2, 1.3),
                new DeviceProfile.CalibrationSpec("c", 3, 1.9), new DeviceProfile.CalibrationSpec("d", 4, 2.5), new DeviceProfile.CalibrationSpec("e", 2.5, 9));
        double[] fit = DeviceProfiler.fit(cal);
        assertEquals(0.6, fit[0], 1e-9);
        assertEquals(0.1, fit[1], 1e-9);
        double[] one = DeviceProfiler.fit(cal.subList(0, 1));
        assertEquals(1, one[0], 1e-12); // too few networks for a slope: offset only
        assertEquals(-0.3, one[1], 1e-12);
    }

    @Test
    void spaceOutsideTheProfileIsAClearError() {
        DeviceProfile p = new DeviceProfile(DeviceProfile.FORMAT, "t", java.util.Map.of(), Precision.INT8, 1, 0, 1, "p50", 1, 0, List.of(), TINY,
                java.util.Map.of());
        var e = assertThrows(IllegalArgumentException.class, () -> new LatencyPredictor(p).predictMs(TINY.decode(ArchChoice.ofTokens(new int[14]))));
        assertTrue(e.getMessage().startsWith("device profile has no layer 'stem k3 s2 1>8"), e.getMessage());
    }

    /** "child-0101010-..." -> tokens. */
    static int[] tokens(String name) {
        String digits = name.substring("child-".length()).replace("-", "");
        int[] t = new int[digits.length()];
        for (int i = 0; i < t.length; i++) t[i] = digits.charAt(i) - '0';
        return t;
    }
}
