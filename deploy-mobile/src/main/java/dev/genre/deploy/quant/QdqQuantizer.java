package dev.genre.deploy.quant;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import dev.genre.deploy.onnx.SpecOnnxWriter;
import dev.genre.search.net.Int8Simulation;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Post-training static quantization of a float graph into QDQ form, so ONNX Runtime fuses the
 * QuantizeLinear/DequantizeLinear pairs into int8 kernels (QLinearConv and friends):
 * <ul>
 * <li>weights: int8 at 7-bit levels ({@link Int8Simulation#WEIGHT_LEVEL_MAX}: no int16 saturation in
 *     ONNX Runtime's x86 kernels without VNNI), symmetric, one scale per output channel (axis 0), zero point 0;</li>
 * <li>biases: int32 with scale = input scale x weight scale, as the int8 kernels accumulate;</li>
 * <li>activations: uint8, asymmetric, one scale per tensor from calibrated ranges;</li>
 * <li>a Relu right after a Conv is dropped: the uint8 range [0, max] with zero point 0 clamps
 *     negatives exactly as Relu does (ONNX Runtime's quantizer does the same).</li>
 * </ul>
 * Nodes named in {@code floatNodes} keep float weights and read float inputs: the sensitivity fix.
 * A squeeze-and-excitation unit named there ({@code <block>.se}) runs wholly in float: pool, fc1,
 * fc2 and gate, weights and activations (the gated feature map is quantized as usual). Units, not
 * all SE paths: float SE everywhere gained 1 point of top-1 agreement on the GTZAN folds but made
 * the int8 model 1.1x float's latency instead of 0.87x (float activations break the int8 chains).
 * With the calibration's channel means, each int8 layer's bias also absorbs the mean shift of its
 * weight rounding (weight rounding alone cost 2.0 points of agreement there, 1.5 corrected).
 */
public final class QdqQuantizer {
    private static final Set<String> WEIGHTED = Set.of("Conv", "Gemm");
    /** The largest weight level: the simulation's, so quantization-aware tuning trains on the shipped grid. */
    static final int MAX_LEVEL = Int8Simulation.WEIGHT_LEVEL_MAX;

    private QdqQuantizer() {}

    /**
     * The activation tensors that get a scale: every node output except the graph's outputs, the
     * input's Sub and a per-segment level (one number per segment that shifts every input value:
     * rounding it would shift them all).
     */
    public static List<String> tensorsToCalibrate(ModelProto model) {
        Set<String> outputs = new HashSet<>();
        model.getGraph().getOutputList().forEach(o -> outputs.add(o.getName()));
        List<String> t = new ArrayList<>();
        for (NodeProto n : folded(model.getGraph(), null, Set.of())) {
            if (n.getOpType().equals("Sub") || n.getName().equals(SpecOnnxWriter.NORMALIZE_LEVEL)) continue;
            for (String o : n.getOutputList()) if (!outputs.contains(o)) t.add(o);
        }
        return t;
    }

    /** The SE unit ({@code <block>.se}) a node belongs to, or null: {@code <block>.se.*} except the gating Mul ({@code .se.scale}). */
    static String excitationUnit(NodeProto n) {
        int at = n.getName().indexOf(".se.");
        return at < 0 || n.getName().endsWith(".se.scale") ? null : n.getName().substring(0, at + 3);
    }

    /** Every SE unit of the graph, in order. */
    public static List<String> excitationUnits(GraphProto g) {
        Set<String> units = new LinkedHashSet<>();
        for (NodeProto n : g.getNodeList()) if (excitationUnit(n) != null) units.add(excitationUnit(n));
        return List.copyOf(units);
    }

    /**
     * The nodes with each Conv -> Relu pair merged into the Conv (which takes over the Relu's output
     * name), when the Relu's output is quantized ({@code quantized} null: every pair): the uint8
     * zero point then does the Relu's clamping. A Relu whose output stays float, or is read by a
     * float node (which reads the raw tensor, before the zero point clamps it), stays a Relu.
     */
    static List<NodeProto> folded(GraphProto g, Set<String> quantized, Set<String> floatNodes) {
        Map<String, List<String>> readers = new HashMap<>();
        for (NodeProto n : g.getNodeList()) for (String i : n.getInputList()) readers.computeIfAbsent(i, k -> new ArrayList<>()).add(n.getName());
        Map<String, NodeProto> producer = new HashMap<>();
        for (NodeProto n : g.getNodeList()) for (String o : n.getOutputList()) producer.put(o, n);
        Map<String, String> renamed = new HashMap<>();
        Set<String> dropped = new HashSet<>();
        for (NodeProto n : g.getNodeList()) {
            if (!n.getOpType().equals("Relu")) continue;
            NodeProto p = producer.get(n.getInput(0));
            if (p != null && p.getOpType().equals("Conv") && readers.get(n.getInput(0)).size() == 1
                    && (quantized == null || quantized.contains(n.getOutput(0)))
                    && readers.getOrDefault(n.getOutput(0), List.of()).stream().noneMatch(floatNodes::contains)) {
                renamed.put(p.getName(), n.getOutput(0));
                dropped.add(n.getName());
            }
        }
        List<NodeProto> out = new ArrayList<>();
        for (NodeProto n : g.getNodeList()) {
            if (dropped.contains(n.getName())) continue;
            String r = renamed.get(n.getName());
            out.add(r == null ? n : n.toBuilder().setOutput(0, r).build());
        }
        return out;
    }

    public static ModelProto quantize(ModelProto model, Map<String, float[]> ranges, Set<String> floatNodes) {
        return quantize(model, ranges, floatNodes, Map.of());
    }

    /**
     * @param inputMeans per-channel means of each weighted layer's input over the calibration data
     *     (Calibration.channelMeans()); with them, each int8 layer's bias absorbs the mean shift its
     *     weight rounding causes, E[(W_q - W) x] = (W_q - W) E[x] per output channel (empirical bias
     *     correction, Nagel et al. 2019). Empty: no correction.
     */
    public static ModelProto quantize(ModelProto model, Map<String, float[]> ranges, Set<String> floatNodes, Map<String, double[]> inputMeans) {
        return quantize(model, ranges, floatNodes, WeightRounding.nearest(inputMeans));
    }

    /** @param rounding the int8 weight levels ({@link AdaRound}; nearest for a weight not there) and the bias correction's input means */
    public static ModelProto quantize(ModelProto model, Map<String, float[]> ranges, Set<String> floatNodes, WeightRounding rounding) {
        Map<String, double[]> inputMeans = rounding.inputMeans();
        Map<String, byte[]> levels = rounding.levels();
        GraphProto g = model.getGraph();
        Set<String> floatUnits = new HashSet<>();
        for (NodeProto n : g.getNodeList()) if (excitationUnit(n) != null && floatNodes.contains(excitationUnit(n))) floatUnits.add(n.getName());
        if (!floatUnits.isEmpty()) { // a float SE unit: its tensors lose their ranges, its convs their int8 weights
            ranges = new HashMap<>(ranges);
            floatNodes = new HashSet<>(floatNodes);
            for (NodeProto n : g.getNodeList()) {
                if (!floatUnits.contains(n.getName())) continue;
                ranges.keySet().removeAll(n.getOutputList());
                floatNodes.add(n.getName());
            }
        }
        Map<String, TensorProto> init = new HashMap<>();
        for (TensorProto t : g.getInitializerList()) init.put(t.getName(), t);
        GraphProto.Builder q = g.toBuilder().clearNode().clearInitializer();
        Set<String> usedInit = new LinkedHashSet<>();
        Map<String, Float> scaleOf = new HashMap<>(); // activation scales
        Map<String, float[]> weightScales = new HashMap<>(); // per-channel, bias scales derive from them
        List<TensorProto> newInit = new ArrayList<>();
        // A graph input with a range is quantized too: a one-layer profile model then reads uint8 as inside a network.
        for (var in : g.getInputList()) if (ranges.containsKey(in.getName())) activationQdq(q, newInit, in.getName(), ranges.get(in.getName()), scaleOf);

        for (NodeProto n : folded(g, ranges.keySet(), floatNodes)) {
            boolean quantizeWeights = WEIGHTED.contains(n.getOpType()) && !floatNodes.contains(n.getName());
            NodeProto.Builder nb = n.toBuilder().clearInput();
            for (int i = 0; i < n.getInputCount(); i++) {
                String in = n.getInput(i);
                if (init.containsKey(in)) {
                    if (quantizeWeights && i == 1) {
                        nb.addInput(weightDq(q, newInit, init.get(in), weightScales, levels));
                    } else if (quantizeWeights && i == 2) {
                        TensorProto bias = init.get(in);
                        double[] mean = inputMeans.get(n.getInput(0));
                        if (mean != null) bias = corrected(bias, init.get(n.getInput(1)), weightScales.get(n.getInput(1)), levels.get(n.getInput(1)), group(n), mean);
                        if (scaleOf.containsKey(n.getInput(0))) {
                            nb.addInput(biasDq(q, newInit, bias, scaleOf.get(n.getInput(0)), weightScales.get(n.getInput(1))));
                        } else if (bias != init.get(in)) { // a float input (the stem): the corrected bias stays float
                            newInit.add(bias);
                            nb.addInput(bias.getName());
                        } else {
                            usedInit.add(in);
                            nb.addInput(in);
                        }
                    } else {
                        usedInit.add(in);
                        nb.addInput(in);
                    }
                } else if (ranges.containsKey(in) && !(floatNodes.contains(n.getName()))) {
                    nb.addInput(in + "_dq");
                } else {
                    nb.addInput(in);
                }
            }
            q.addNode(nb);
            for (String o : n.getOutputList()) if (ranges.containsKey(o)) activationQdq(q, newInit, o, ranges.get(o), scaleOf);
        }
        for (String u : usedInit) q.addInitializer(init.get(u));
        q.addAllInitializer(newInit);
        return model.toBuilder().setGraph(q).build();
    }

    /** uint8 per-tensor QuantizeLinear -> DequantizeLinear of activation {@code o}, read by its consumers as {@code o_dq}. */
    private static void activationQdq(GraphProto.Builder q, List<TensorProto> newInit, String o, float[] r, Map<String, Float> scaleOf) {
        float scale = activationScale(r);
        int zp = zeroPoint(r, scale);
        String s = raw(newInit, o + "_scale", TensorProto.DataType.FLOAT, new long[0], floatBytes(new float[] {scale}));
        String z = raw(newInit, o + "_zero_point", TensorProto.DataType.UINT8, new long[0], new byte[] {(byte) zp});
        q.addNode(NodeProto.newBuilder().setOpType("QuantizeLinear").setName(o + "_quantize").addInput(o).addInput(s).addInput(z).addOutput(o + "_q"));
        q.addNode(NodeProto.newBuilder().setOpType("DequantizeLinear").setName(o + "_dequantize").addInput(o + "_q").addInput(s).addInput(z)
                .addOutput(o + "_dq"));
        scaleOf.put(o, scale);
    }

    /** The uint8 step of an activation range [lo, hi] (which holds 0). */
    static float activationScale(float[] r) {
        return Math.max((r[1] - r[0]) / 255f, 1e-8f);
    }

    /** The uint8 level that stands for 0 in range r at that step. */
    static int zeroPoint(float[] r, float scale) {
        return Math.max(0, Math.min(255, Math.round(-r[0] / scale)));
    }

    /**
     * A quantized graph with the activations in {@code channelRanges} rounded per channel (axis 1)
     * instead of per tensor. Analysis only ({@link ActivationGranularity}): ONNX Runtime's int8 kernels
     * take one input scale, so the graph must run unoptimized, as float nodes between the roundings.
     * Biases keep the int32 levels of the per-tensor scale they were quantized at.
     */
    static ModelProto withChannelScales(ModelProto quantized, Map<String, float[][]> channelRanges) {
        GraphProto.Builder g = quantized.getGraph().toBuilder();
        Map<String, String> tensorOfParam = new HashMap<>();
        for (String t : channelRanges.keySet()) {
            tensorOfParam.put(t + "_scale", t);
            tensorOfParam.put(t + "_zero_point", t);
        }
        Set<String> rewritten = new HashSet<>();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            TensorProto init = g.getInitializer(i);
            String t = tensorOfParam.get(init.getName());
            if (t == null) continue;
            float[][] r = channelRanges.get(t);
            float[] scales = new float[r.length];
            byte[] zps = new byte[r.length];
            for (int c = 0; c < r.length; c++) {
                scales[c] = activationScale(r[c]);
                zps[c] = (byte) zeroPoint(r[c], scales[c]);
            }
            boolean isScale = init.getName().endsWith("_scale");
            g.setInitializer(i, init.toBuilder().clearDims().addDims(r.length)
                    .setRawData(ByteString.copyFrom(isScale ? floatBytes(scales) : zps)));
            rewritten.add(t);
        }
        AttributeProto axis1 = AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(1).build();
        Set<String> qdqNodes = new HashSet<>();
        for (String t : rewritten) qdqNodes.addAll(List.of(t + "_quantize", t + "_dequantize")); // as activationQdq names them
        for (int i = 0; i < g.getNodeCount(); i++) {
            if (qdqNodes.contains(g.getNode(i).getName())) g.setNode(i, g.getNode(i).toBuilder().addAttribute(axis1));
        }
        return quantized.toBuilder().setGraph(g).build();
    }

    /** The int8 level of a weight at its channel's scale: the one rounding both the weights and the bias correction use. */
    static int weightLevel(float w, float scale) {
        return Math.max(-MAX_LEVEL, Math.min(MAX_LEVEL, Math.round(w / scale)));
    }

    /** Symmetric int8 scale of each output channel of weights [out, ...]: max |w| / the largest level. */
    static float[] channelScales(float[] v, int out) {
        int per = v.length / out;
        float[] scales = new float[out];
        for (int c = 0; c < out; c++) {
            float max = 0;
            for (int i = 0; i < per; i++) max = Math.max(max, Math.abs(v[c * per + i]));
            scales[c] = Math.max(max / MAX_LEVEL, 1e-12f);
        }
        return scales;
    }

    /** int8 per-output-channel symmetric weights + DequantizeLinear(axis 0), at {@code levels} when given (adaptive rounding), else nearest. */
    private static String weightDq(GraphProto.Builder q, List<TensorProto> newInit, TensorProto w, Map<String, float[]> weightScales, Map<String, byte[]> levels) {
        float[] v = floats(w);
        int out = (int) w.getDims(0), per = v.length / out;
        float[] scales = channelScales(v, out);
        byte[] qv = levels.get(w.getName());
        if (qv == null) {
            qv = new byte[v.length];
            for (int c = 0; c < out; c++) for (int i = 0; i < per; i++) qv[c * per + i] = (byte) weightLevel(v[c * per + i], scales[c]);
        }
        long[] dims = w.getDimsList().stream().mapToLong(Long::longValue).toArray();
        String name = w.getName();
        raw(newInit, name + "_q", TensorProto.DataType.INT8, dims, qv);
        raw(newInit, name + "_scale", TensorProto.DataType.FLOAT, new long[] {out}, floatBytes(scales));
        raw(newInit, name + "_zero_point", TensorProto.DataType.INT8, new long[] {out}, new byte[out]);
        q.addNode(NodeProto.newBuilder().setOpType("DequantizeLinear").setName(name + "_dequantize").addInput(name + "_q")
                .addInput(name + "_scale").addInput(name + "_zero_point").addOutput(name + "_dq").addAttribute(axis0()));
        weightScales.put(name, scales);
        return name + "_dq";
    }

    /**
     * The bias minus the mean output error of rounding the weights: for output channel c,
     * sum over its weights of (q * s_c - w) times the mean of the input channel the weight reads.
     * Conv weights are [out, in/group, kh, kw]; Gemm weights (transB) [out, in].
     */
    private static TensorProto corrected(TensorProto bias, TensorProto weight, float[] scales, byte[] levels, int group, double[] mean) {
        float[] w = floats(weight), b = floats(bias);
        int out = (int) weight.getDims(0), inPerGroup = (int) weight.getDims(1), per = w.length / out, taps = per / inPerGroup;
        if (mean.length != inPerGroup * group) return bias; // shapes disagree: leave it
        float[] fixed = b.clone();
        for (int c = 0; c < out; c++) {
            int firstIn = c / (out / group) * inPerGroup;
            double shift = 0;
            for (int i = 0; i < inPerGroup; i++) {
                double dw = 0;
                for (int k = 0; k < taps; k++) {
                    float v = w[c * per + i * taps + k];
                    int level = levels != null ? levels[c * per + i * taps + k] : weightLevel(v, scales[c]);
                    dw += level * scales[c] - v;
                }
                shift += dw * mean[firstIn + i];
            }
            fixed[c] = (float) (b[c] - shift);
        }
        return TensorProto.newBuilder().setName(bias.getName() + "_corrected").setDataType(TensorProto.DataType.FLOAT.getNumber())
                .addAllDims(bias.getDimsList()).setRawData(ByteString.copyFrom(floatBytes(fixed))).build();
    }

    private static int group(NodeProto n) {
        for (AttributeProto a : n.getAttributeList()) if (a.getName().equals("group")) return (int) a.getI();
        return 1;
    }

    /** int32 bias at scale s_x * s_w[c], zero point 0, as QLinearConv adds it to the int32 accumulator. */
    private static String biasDq(GraphProto.Builder q, List<TensorProto> newInit, TensorProto b, float inScale, float[] ws) {
        float[] v = floats(b);
        float[] scales = new float[v.length];
        ByteBuffer qb = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int c = 0; c < v.length; c++) {
            scales[c] = inScale * ws[c];
            qb.putInt((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Math.round((double) v[c] / scales[c]))));
        }
        String name = b.getName();
        raw(newInit, name + "_q", TensorProto.DataType.INT32, new long[] {v.length}, qb.array());
        raw(newInit, name + "_scale", TensorProto.DataType.FLOAT, new long[] {v.length}, floatBytes(scales));
        raw(newInit, name + "_zero_point", TensorProto.DataType.INT32, new long[] {v.length}, new byte[v.length * 4]);
        q.addNode(NodeProto.newBuilder().setOpType("DequantizeLinear").setName(name + "_dequantize").addInput(name + "_q")
                .addInput(name + "_scale").addInput(name + "_zero_point").addOutput(name + "_dq").addAttribute(axis0()));
        return name + "_dq";
    }

    private static AttributeProto axis0() {
        return AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(0).build();
    }

    static float[] floats(TensorProto t) {
        if (!t.getRawData().isEmpty()) {
            java.nio.FloatBuffer fb = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            float[] v = new float[fb.remaining()];
            fb.get(v);
            return v;
        }
        float[] v = new float[t.getFloatDataCount()];
        for (int i = 0; i < v.length; i++) v[i] = t.getFloatData(i);
        return v;
    }

    private static byte[] floatBytes(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    private static String raw(List<TensorProto> out, String name, TensorProto.DataType type, long[] dims, byte[] bytes) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber()).setRawData(ByteString.copyFrom(bytes));
        for (long d : dims) t.addDims(d);
        out.add(t.build());
        return name;
    }
}
