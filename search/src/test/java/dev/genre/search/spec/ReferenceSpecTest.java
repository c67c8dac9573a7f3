package dev.genre.search.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.genre.io.Json;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The shipped reference specs against torchvision 0.14's models (3 x 224 x 224, 1000 classes). */
class ReferenceSpecTest {
    @ParameterizedTest
    @CsvSource({
            "mobilenetv3-small, 2542856, 56510400",
            "mobilenetv3-large, 5483032, 216589760",
            "mnasnet-b1, 4383312, 314415872"})
    void countsMatchTorchvision(String name, long params, long macs) throws Exception {
        NetworkSpec spec = NetworkSpec.load(name);
        Cost cost = Cost.total(SpecResolver.resolve(spec));
        assertEquals(params, cost.params(), name + " parameters");
        assertEquals(macs, cost.macs(), name + " MACs");
    }

    @Test
    void specsRoundTripThroughJson() throws Exception {
        for (String name : NetworkSpec.REFERENCES) {
            NetworkSpec spec = NetworkSpec.load(name);
            NetworkSpec back = Json.MAPPER.readValue(Json.pretty(spec), NetworkSpec.class);
            assertEquals(spec, back, name);
        }
    }

    @Test
    void spectrogramBaselineHasOneInputChannelAndTheDatasetClasses() throws Exception {
        NetworkSpec s = NetworkSpec.load("mobilenetv3-small").withInput(1, 128, 128).withClasses(10);
        List<Layer> rows = SpecResolver.resolve(s);
        assertEquals(1, rows.get(0).in());
        assertEquals(64, rows.get(0).outH());
        Layer headConv = rows.stream().filter(l -> l.kind() == Layer.Kind.HEAD_CONV).findFirst().orElseThrow();
        assertEquals(4, headConv.outH(), "128 / 32 = 4 before the pool");
        assertEquals(4, headConv.outW());
        assertEquals(10, rows.get(rows.size() - 1).out());
    }

    @Test
    void channelRoundingIsTorchvisionsMakeDivisible() {
        assertEquals(8, Channels.round(4));
        assertEquals(24, Channels.round(22));
        assertEquals(88, Channels.round(24 * 3.6667));
        assertEquals(32, Channels.round(30));
        assertEquals(16, Channels.round(13)); // 8 would be more than 10% below
    }

    @Test
    void unknownNameSaysWhatExists() {
        Exception e = assertThrows(java.io.IOException.class, () -> NetworkSpec.load("resnet-50"));
        assertEquals(true, e.getMessage().contains("mobilenetv3-small"));
    }
}
