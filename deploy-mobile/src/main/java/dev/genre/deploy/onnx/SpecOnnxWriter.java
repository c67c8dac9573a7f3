package dev.genre.deploy.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.genre.deploy.onnx.OnnxGraph.Attr;
import dev.genre.search.net.FoldedWeights;
import dev.genre.search.net.TensorNames;
import dev.genre.search.spec.Activation;
import dev.genre.search.spec.Layer;
import dev.genre.search.spec.NetworkSpec;
import dev.genre.search.spec.SpecResolver;
import dev.genre.search.train.Normalization;
import java.util.List;
import java.util.Map;

/**
 * Writes the float ONNX graph of a spec by walking the same resolved rows as the DJL builder, with
 * batch norm already folded into the convolutions. Input {@code logmel} [batch, 1, mels, frames] in
 * dB as the dataset stores it; the training normalisation is the first two nodes, so an app feeds
 * the log-mel as is. Outputs {@code logits} and {@code probabilities} [batch, classes].
 */
public final class SpecOnnxWriter {
    public static final String INPUT = "logmel";
    public static final String LOGITS = "logits";
    public static final String PROBABILITIES = "probabilities";
    /** The output of a one-layer model. */
    public static final String LAYER_OUTPUT = "layer_output";
    /** A segment's mean level (dB), subtracted from it by a per-segment normalisation; stays float in int8 models. */
    public static final String NORMALIZE_LEVEL = "normalize_level";

    private final OnnxGraph g;
    private final FoldedWeights w;

    private SpecOnnxWriter(String name, FoldedWeights w) {
        this.g = new OnnxGraph(name);
        this.w = w;
    }

    /** @param mean, std the training normalisation of the input (0 and 1 for none) */
    public static ModelProto write(NetworkSpec spec, FoldedWeights weights, double mean, double std, Map<String, String> metadata) {
        return write(spec, weights, new Normalization(mean, std, false), metadata);
    }

    /**
     * @param norm the training normalisation, written as the graph's first nodes so an app feeds dB:
     *     Sub and Div by constants, or with a per-segment level, Sub of the segment's own mean
     *     ({@link #NORMALIZE_LEVEL}, a ReduceMean) first
     */
    public static ModelProto write(NetworkSpec spec, FoldedWeights weights, Normalization norm, Map<String, String> metadata) {
        SpecOnnxWriter wr = new SpecOnnxWriter(spec.name() == null ? "genre" : spec.name(), weights);
        OnnxGraph g = wr.g;
        int[] in = spec.input();
        String x = g.input(INPUT, in[0], in[1], in[2]);
        if (norm.segmentLevel()) {
            String level = g.node("ReduceMean", NORMALIZE_LEVEL, List.of(x), Attr.ints("axes", 1, 2, 3), Attr.i("keepdims", 1));
            x = g.node("Sub", "normalize_sub", List.of(x, level));
        }
        if (norm.perBand()) { // [1, 1, bands, 1] constants, broadcast over batch and frames
            long[] bands = {1, 1, norm.bandMean().length, 1};
            x = g.node("Sub", "normalize_band_sub", List.of(x, g.floats("input_mean", bands, floats(norm.bandMean()))));
            x = g.node("Div", TensorNames.NORMALIZED_INPUT, List.of(x, g.floats("input_std", bands, floats(norm.bandStd()))));
        } else {
            if (!norm.segmentLevel()) x = g.node("Sub", "normalize_sub", List.of(x, g.scalar("input_mean", (float) norm.mean())));
            x = g.node("Div", TensorNames.NORMALIZED_INPUT, List.of(x, g.scalar("input_std", (float) norm.std())));
        }
        for (Layer row : SpecResolver.resolve(spec)) x = wr.row(row, x);
        g.output(LOGITS, spec.classes());
        g.node("Softmax", PROBABILITIES, List.of(x), Attr.i("axis", 1));
        g.output(PROBABILITIES, spec.classes());
        return g.build(metadata);
    }

    /**
     * One resolved row as a model of its own, what the device profile times: its input tensor is fed
     * as {@link #INPUT} (so the latency and calibration runners feed it like a network) and an
     * Identity ends the graph, so the row's own output is an inner tensor that the quantizer treats
     * exactly as inside a network.
     */
    public static ModelProto writeLayer(Layer row, FoldedWeights weights, Map<String, String> metadata) {
        SpecOnnxWriter wr = new SpecOnnxWriter("layer", weights);
        String y = wr.row(row, wr.g.input(INPUT, inputDims(row)));
        wr.g.node("Identity", LAYER_OUTPUT, List.of(y));
        wr.g.output(LAYER_OUTPUT, outputDims(row));
        return wr.g.build(metadata);
    }

    /** A row's input tensor without the batch dimension: [c, h, w], or [c] after the head's pool. */
    public static long[] inputDims(Layer row) {
        return switch (row.kind()) {
            case HIDDEN, CLASSIFIER -> new long[] {row.in()};
            default -> new long[] {row.in(), row.inH(), row.inW()};
        };
    }

    public static long[] outputDims(Layer row) {
        return switch (row.kind()) {
            case POOL, HIDDEN, CLASSIFIER -> new long[] {row.out()};
            default -> new long[] {row.out(), row.outH(), row.outW()};
        };
    }

    /** The nodes of one row: the one definition of every layer type, for whole networks and single layers. */
    private String row(Layer row, String x) {
        String name = FoldedWeights.rowName(row);
        return switch (row.kind()) {
            case POOL -> g.node("Flatten", name + TensorNames.HEAD_FLATTEN, List.of(g.node("GlobalAveragePool", name + TensorNames.HEAD_POOL, List.of(x))));
            case HIDDEN -> act(row.act(), gemm(name + TensorNames.HEAD_HIDDEN, x), name + TensorNames.HEAD_HIDDEN);
            case CLASSIFIER -> gemm(name + ".classifier", x, LOGITS); // dropout is the identity at inference
            case STEM, CONV, HEAD_CONV -> shortcut(row, name, x, conv(name + ".conv", x, row.kernel(), row.stride(), 1, row.act()));
            case DCONV, MBCONV -> {
                String y = x;
                if (row.hasExpand()) y = conv(name + ".expand", y, 1, 1, 1, row.act());
                y = conv(name + ".dw", y, row.kernel(), row.stride(), row.expanded(), row.act());
                if (row.hasSe()) y = squeezeExcite(name + TensorNames.SE, y);
                y = conv(name + ".project", y, 1, 1, 1, null);
                yield shortcut(row, name, x, y);
            }
        };
    }

    private String shortcut(Layer row, String name, String x, String y) {
        return switch (row.shortcut()) {
            case NONE -> y;
            case IDENTITY -> g.node("Add", name + TensorNames.ADD, List.of(y, x));
            case POOLED -> g.node("Add", name + TensorNames.ADD, List.of(y, pool(row, name, x)));
            case POOLED_PROJECTED -> g.node("Add", name + TensorNames.ADD, List.of(y, conv(name + ".shortcut", pool(row, name, x), 1, 1, 1, null)));
        };
    }

    /** stride x stride average pool, ceil mode, padding not counted: what the DJL builder does. */
    private String pool(Layer row, String name, String x) {
        if (row.stride() == 1) return x;
        return g.node("AveragePool", name + TensorNames.SHORTCUT_POOL, List.of(x), Attr.ints("kernel_shape", row.stride(), row.stride()),
                Attr.ints("strides", row.stride(), row.stride()), Attr.i("ceil_mode", 1), Attr.i("count_include_pad", 0));
    }

    private String conv(String part, String x, int kernel, int stride, int groups, Activation act) {
        FoldedWeights.Tensor wt = w.get(part + ".weight"), b = w.get(part + ".bias");
        int pad = (kernel - 1) / 2;
        String y = g.node("Conv", part, List.of(x, g.floats(part + ".weight", wt.shape(), wt.data()), g.floats(part + ".bias", b.shape(), b.data())),
                Attr.ints("kernel_shape", kernel, kernel), Attr.ints("strides", stride, stride), Attr.ints("pads", pad, pad, pad, pad),
                Attr.i("group", groups));
        return act(act, y, part);
    }

    private String squeezeExcite(String part, String x) {
        String s = g.node("GlobalAveragePool", part + TensorNames.SE_POOL, List.of(x));
        s = g.node("Relu", TensorNames.activated(part + TensorNames.SE_FC1, Activation.RELU), List.of(conv1x1(part + TensorNames.SE_FC1, s)));
        s = g.node("HardSigmoid", part + TensorNames.SE_GATE, List.of(conv1x1(part + TensorNames.SE_FC2, s)), Attr.f("alpha", 1f / 6), Attr.f("beta", 0.5f));
        return g.node("Mul", part + TensorNames.SE_SCALE, List.of(x, s));
    }

    private String conv1x1(String part, String x) {
        FoldedWeights.Tensor wt = w.get(part + ".weight"), b = w.get(part + ".bias");
        return g.node("Conv", part, List.of(x, g.floats(part + ".weight", wt.shape(), wt.data()), g.floats(part + ".bias", b.shape(), b.data())),
                Attr.ints("kernel_shape", 1, 1));
    }

    private String gemm(String part, String x) {
        return gemm(part, x, part);
    }

    private String gemm(String part, String x, String out) {
        FoldedWeights.Tensor wt = w.get(part + ".weight"), b = w.get(part + ".bias");
        return g.node("Gemm", out, List.of(x, g.floats(part + ".weight", wt.shape(), wt.data()), g.floats(part + ".bias", b.shape(), b.data())),
                Attr.i("transB", 1));
    }

    /** The one mapping of spec activations to ONNX operators (HardSwish = x * relu6(x + 3) / 6). */
    private String act(Activation act, String x, String part) {
        if (act == null) return x;
        return switch (act) {
            case RELU -> g.node("Relu", TensorNames.activated(part, act), List.of(x));
            case HSWISH -> g.node("HardSwish", TensorNames.activated(part, act), List.of(x));
        };
    }

    private static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }
}
