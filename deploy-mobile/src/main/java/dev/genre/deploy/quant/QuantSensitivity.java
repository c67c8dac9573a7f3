package dev.genre.deploy.quant;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.genre.deploy.onnx.OnnxEvaluation;
import dev.genre.deploy.onnx.OnnxModel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which layers cost accuracy under int8, and the fix. Each weighted layer (and each squeeze-and-
 * excitation unit as a whole) is kept in float alone
 * (everything else int8) and scored by how far the int8 model's class probabilities then are from
 * float's: the mean KL divergence over probe segments ({@link ProbeSegments}). Divergence, not
 * top-1 agreement: it sees probabilities move before a decision flips, and they move most where a
 * layer's quantization hurts.
 * The layers that remove the most divergence are then kept in float, one at a time, while each
 * removes at least {@link #MIN_REDUCTION} of what is left, up to {@link #MAX_FLOAT} layers.
 */
public final class QuantSensitivity {
    public static final int MAX_FLOAT = 4;
    public static final double MIN_REDUCTION = 0.10;

    /** One layer kept in float: the probe divergence then, and the share of the all-int8 divergence it removes. */
    @JsonPropertyOrder({"node", "divergenceWhenFloat", "reduction"})
    public record Layer(String node, double divergenceWhenFloat, double reduction) {}

    /** The probe's all-int8 divergence and agreement, the layers kept float and the result, and every layer (most costly first). */
    @JsonPropertyOrder({"probeSegments", "allInt8Divergence", "allInt8Agreement", "floatNodes", "fixedDivergence", "fixedAgreement", "layers"})
    public record Result(int probeSegments, double allInt8Divergence, double allInt8Agreement, List<String> floatNodes, double fixedDivergence,
                         double fixedAgreement, List<Layer> layers) {}

    /** How an int8 variant compares with float on the probe. */
    public record Score(double divergence, double agreement) {}

    private QuantSensitivity() {}

    public static Result measure(ModelProto model, Map<String, float[]> ranges, WeightRounding rounding, ProbeSegments probe,
                                 float[][] floatProbs) throws IOException {
        Score base = score(model, ranges, rounding, Set.of(), probe, floatProbs);
        List<Layer> layers = new ArrayList<>();
        // Candidates: every conv outside SE paths, the classifier, and each SE unit as a whole.
        List<String> candidates = new ArrayList<>();
        for (NodeProto n : model.getGraph().getNodeList()) {
            if ((n.getOpType().equals("Conv") || n.getOpType().equals("Gemm")) && QdqQuantizer.excitationUnit(n) == null) candidates.add(n.getName());
        }
        candidates.addAll(QdqQuantizer.excitationUnits(model.getGraph()));
        for (String c : candidates) {
            double d = score(model, ranges, rounding, Set.of(c), probe, floatProbs).divergence();
            layers.add(new Layer(c, d, base.divergence() > 0 ? 1 - d / base.divergence() : 0));
        }
        layers.sort(Comparator.comparingDouble(Layer::reduction).reversed());
        Set<String> keep = new LinkedHashSet<>();
        Score fixed = base;
        for (Layer l : layers) {
            if (keep.size() >= MAX_FLOAT || l.reduction() < MIN_REDUCTION) break;
            keep.add(l.node());
            Score s = score(model, ranges, rounding, keep, probe, floatProbs);
            if (s.divergence() > fixed.divergence() * (1 - MIN_REDUCTION)) keep.remove(l.node()); // not enough on top of the others
            else fixed = s;
        }
        return new Result(probe.size(), base.divergence(), base.agreement(), List.copyOf(keep), fixed.divergence(), fixed.agreement(), layers);
    }

    /** The model quantized with {@code ranges}, {@code floatNodes} kept float, against float on the probe. */
    public static Score score(ModelProto model, Map<String, float[]> ranges, WeightRounding rounding, Set<String> floatNodes,
                              ProbeSegments probe, float[][] floatProbs) throws IOException {
        float[][] q;
        try (OnnxModel m = new OnnxModel(QdqQuantizer.quantize(model, ranges, floatNodes, rounding).toByteArray(), 1)) {
            q = probe.probabilities(m);
        }
        return new Score(divergence(floatProbs, q), OnnxEvaluation.agreement(floatProbs, q));
    }

    /** Mean KL(p || q) over segments, with q floored so a class int8 rounds to 0 costs a finite amount. */
    static double divergence(float[][] p, float[][] q) {
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            for (int c = 0; c < p[i].length; c++) {
                if (p[i][c] > 0) sum += p[i][c] * Math.log(p[i][c] / Math.max(q[i][c], 1e-7));
            }
        }
        return p.length == 0 ? 0 : sum / p.length;
    }
}
