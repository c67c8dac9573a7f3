package dev.genre.deploy.quant;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.genre.dataset.SegmentDataset;
import dev.genre.deploy.onnx.OnnxEvaluation;
import dev.genre.deploy.onnx.OnnxModel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;

/**
 * Which layers cost accuracy under int8, and the fix: each weighted layer is kept in float alone
 * (everything else int8) and scored by top-1 agreement with the float model on probe segments;
 * then the layers that recover the most are kept in float, one at a time, until int8 agrees with
 * float on at least {@link #TARGET} of the probe or {@link #MAX_FLOAT} layers are float.
 * Agreement, not labels: the probe needs no ground truth, so it can be training data.
 */
public final class QuantSensitivity {
    public static final double TARGET = 0.99;
    public static final int MAX_FLOAT = 4;

    /** One layer kept in float: the probe agreement then, and what it gains over all-int8. */
    @JsonPropertyOrder({"node", "agreementWhenFloat", "gain"})
    public record Layer(String node, double agreementWhenFloat, double gain) {}

    /** All-int8 agreement, per-layer sensitivity (most costly first), the layers kept float and the agreement with them. */
    @JsonPropertyOrder({"probeSegments", "allInt8Agreement", "floatNodes", "fixedAgreement", "layers"})
    public record Result(int probeSegments, double allInt8Agreement, List<String> floatNodes, double fixedAgreement, List<Layer> layers) {}

    private QuantSensitivity() {}

    /** Measures every weighted layer (the full report). */
    public static Result measure(ModelProto model, Map<String, float[]> ranges, SegmentDataset probe, List<String> genres,
                                 float[][] floatProbs) throws IOException {
        double base = agreement(model, ranges, Set.of(), probe, genres, floatProbs);
        List<Layer> layers = new ArrayList<>();
        for (NodeProto n : model.getGraph().getNodeList()) {
            if (!n.getOpType().equals("Conv") && !n.getOpType().equals("Gemm")) continue;
            double a = agreement(model, ranges, Set.of(n.getName()), probe, genres, floatProbs);
            layers.add(new Layer(n.getName(), a, a - base));
        }
        layers.sort(Comparator.comparingDouble(Layer::gain).reversed());
        Set<String> keep = new LinkedHashSet<>();
        double fixed = base;
        for (Layer l : layers) {
            if (fixed >= TARGET || keep.size() >= MAX_FLOAT || l.gain() <= 0) break;
            keep.add(l.node());
            double a = agreement(model, ranges, keep, probe, genres, floatProbs);
            if (a <= fixed) keep.remove(l.node()); // no help together with the others
            else fixed = a;
        }
        return new Result(probe.size(), base, List.copyOf(keep), fixed, layers);
    }

    /** Top-1 agreement with float of the model quantized with {@code ranges}, {@code floatNodes} kept float. */
    public static double agreement(ModelProto model, Map<String, float[]> ranges, Set<String> floatNodes, SegmentDataset probe, List<String> genres,
                            float[][] floatProbs) throws IOException {
        try (OnnxModel q = new OnnxModel(QdqQuantizer.quantize(model, ranges, floatNodes).toByteArray(), 1)) {
            return OnnxEvaluation.agreement(floatProbs, OnnxEvaluation.of(q, probe, genres).probabilities());
        }
    }
}
