package dev.genre.search.latency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genre.io.Json;
import dev.genre.search.space.SearchSpace;
import dev.genre.search.spec.Activation;
import dev.genre.search.spec.BlockSpec;
import dev.genre.search.spec.HeadSpec;
import dev.genre.search.spec.Layer;
import dev.genre.search.spec.LayerKey;
import dev.genre.search.spec.NetworkSpec;
import dev.genre.search.spec.Op;
import dev.genre.search.spec.Skip;
import dev.genre.search.spec.SpecResolver;
import dev.genre.search.spec.StemSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The predictor is the overhead plus the table entry of every row, a repeated layer counted each time. */
class LatencyPredictorTest {
    /** stem, one mbconv block of 3 layers (the 2nd and 3rd share a key), head conv, pool, hidden, classifier. */
    static final NetworkSpec SPEC = new NetworkSpec(NetworkSpec.FORMAT, "tiny", new int[] {1, 32, 32}, new StemSpec(3, 2, 16, Activation.HSWISH),
            List.of(new BlockSpec(Op.MBCONV, 3, 2, 24, 3, 0.25, Skip.IDENTITY, 3, Activation.RELU)), new HeadSpec(64, 128, Activation.HSWISH, 0.2), 4);

    static Map<String, LayerLatency> table() {
        List<Layer> rows = SpecResolver.resolve(SPEC);
        double[] ms = {0.5, 1, 2, 2, 0.25, 0.125, 0.0625, 0.03125};
        assertEquals(ms.length, rows.size());
        Map<String, LayerLatency> t = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) t.put(LayerKey.of(rows.get(i)), new LayerLatency(ms[i], ms[i] + 0.01, 0.01, 10));
        assertEquals(7, t.size(), "layers 2 and 3 of the block share one key");
        return t;
    }

    static DeviceProfile profile(Map<String, LayerLatency> table) {
        return new DeviceProfile(DeviceProfile.FORMAT, "2026-01-01T00:00:00Z", Map.of("target", "test"), Precision.INT8, 1, 5, 40, "p50", 1, 0.1, List.of(),
                SearchSpace.mobileNetV3Small(32, 32, 4), table);
    }

    @Test
    void sumsOverheadAndEveryRow() {
        LatencyPredictor p = new LatencyPredictor(profile(table()));
        assertEquals(0.5 + 1 + 2 + 2 + 0.25 + 0.125 + 0.0625 + 0.03125, p.layerSumMs(SPEC), 1e-12);
        assertEquals(0.1 + 0.5 + 1 + 2 + 2 + 0.25 + 0.125 + 0.0625 + 0.03125, p.predictMs(SPEC), 1e-12);
    }

    @Test
    void missingLayerNamesItAndSaysToRebuild() {
        Map<String, LayerLatency> t = table();
        String stem = LayerKey.of(SpecResolver.resolve(SPEC).get(0));
        t.remove(stem);
        var e = assertThrows(IllegalArgumentException.class, () -> new LatencyPredictor(profile(t)).predictMs(SPEC));
        assertTrue(e.getMessage().contains(stem), e.getMessage());
        assertTrue(e.getMessage().contains("rebuild the profile"), e.getMessage());
    }

    @Test
    void profileRoundTripsThroughJson() throws Exception {
        DeviceProfile p = profile(table());
        DeviceProfile back = Json.MAPPER.readValue(Json.pretty(p), DeviceProfile.class);
        assertEquals(p.layers(), back.layers());
        assertEquals(p.space(), back.space());
        assertEquals(Precision.INT8, back.precision());
        assertEquals(new LatencyPredictor(p).predictMs(SPEC), new LatencyPredictor(back).predictMs(SPEC), 1e-12);
        assertTrue(new String(Json.pretty(p)).contains("\"format\" : \"genre-device-profile/1\""));
    }
}
