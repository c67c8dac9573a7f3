package dev.genre.deploy.latency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.genre.deploy.onnx.SpecOnnxWriter;
import dev.genre.search.latency.Precision;
import dev.genre.search.spec.Activation;
import dev.genre.search.spec.BlockSpec;
import dev.genre.search.spec.HeadSpec;
import dev.genre.search.spec.Layer;
import dev.genre.search.spec.NetworkSpec;
import dev.genre.search.spec.Op;
import dev.genre.search.spec.Skip;
import dev.genre.search.spec.SpecResolver;
import dev.genre.search.spec.StemSpec;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one-layer models of every layer kind and shortcut load and run in ONNX Runtime, float and int8 QDQ. */
class ProfileModelsTest {
    /** Every kind, with and without SE and expansion, and all four shortcuts. */
    static final NetworkSpec SPEC = new NetworkSpec(NetworkSpec.FORMAT, "kinds", new int[] {1, 32, 32}, new StemSpec(3, 2, 16, Activation.HSWISH),
            List.of(new BlockSpec(Op.DCONV, 3, 1, 16, 1, 0.25, Skip.IDENTITY, 1, Activation.HSWISH),
                    new BlockSpec(Op.MBCONV, 5, 2, 24, 3, 0, Skip.POOL, 1, Activation.RELU),
                    new BlockSpec(Op.MBCONV, 3, 2, 24, 6, 0.25, Skip.POOL, 1, Activation.HSWISH),
                    new BlockSpec(Op.MBCONV, 3, 1, 24, 1, 0, Skip.IDENTITY, 1, Activation.RELU),
                    new BlockSpec(Op.CONV, 3, 1, 32, 1, 0, Skip.NONE, 1, Activation.RELU)),
            new HeadSpec(64, 128, Activation.HSWISH, 0.2), 4);

    @Test
    void everyLayerKindRunsInBothPrecisions() throws Exception {
        List<Layer> rows = SpecResolver.resolve(SPEC);
        EnumSet<Layer.Kind> kinds = EnumSet.noneOf(Layer.Kind.class);
        EnumSet<Layer.Shortcut> shortcuts = EnumSet.noneOf(Layer.Shortcut.class);
        rows.forEach(r -> { kinds.add(r.kind()); shortcuts.add(r.shortcut()); });
        assertEquals(EnumSet.allOf(Layer.Kind.class), kinds);
        assertEquals(EnumSet.allOf(Layer.Shortcut.class), shortcuts);
        assertTrue(rows.stream().anyMatch(r -> r.kind() == Layer.Kind.MBCONV && !r.hasExpand()));
        for (Layer row : rows) {
            for (Precision p : Precision.values()) {
                byte[] model = ProfileModels.layer(row, p, 3);
                assertEquals(1, LocalLatency.measure(model, 1, 0, 1).runs(), row + " " + p);
                if (p == Precision.INT8) {
                    List<NodeProto> nodes = ModelProto.parseFrom(model).getGraph().getNodeList();
                    assertTrue(nodes.stream().anyMatch(n -> n.getOpType().equals("QuantizeLinear") && n.getInput(0).equals(SpecOnnxWriter.INPUT)),
                            "the input is quantized as a previous layer's output would be: " + row);
                    assertTrue(nodes.stream().anyMatch(n -> n.getOpType().equals("QuantizeLinear") && n.getOutput(0).endsWith("_q")
                            && !n.getInput(0).equals(SpecOnnxWriter.INPUT)), "the layer's own output is quantized: " + row);
                }
            }
        }
    }

    @Test
    void boundaryAndWholeNetworkModelsRun() throws Exception {
        for (Precision p : Precision.values()) {
            assertEquals(1, LocalLatency.measure(ProfileModels.boundary(new long[] {16, 8, 8}, p), 1, 0, 1).runs());
            assertEquals(1, LocalLatency.measure(ProfileModels.boundary(new long[] {128}, p), 1, 0, 1).runs());
            assertEquals(1, LocalLatency.measure(ProfileModels.network(SPEC, p, 1), 1, 0, 1).runs());
        }
    }
}
