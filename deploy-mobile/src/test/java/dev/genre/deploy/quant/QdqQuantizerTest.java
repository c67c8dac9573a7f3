package dev.genre.deploy.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.genre.deploy.onnx.OnnxGraph;
import dev.genre.deploy.onnx.OnnxModel;
import dev.genre.deploy.onnx.SpecOnnxWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The quantizer's fixes on small real graphs run by ONNX Runtime: bias correction, the Relu rule, MSE and segment-quantile ranges. */
class QdqQuantizerTest {
    // 16 x 16 maps: the correction uses channel means and ignores the zero padding, which a small map's border would dominate.
    static final int C_IN = 8, C_OUT = 16, H = 16, N = 32;

    /** input -> Conv 3x3 [-> Relu] -> GlobalAveragePool -> Flatten: the output is each channel's spatial mean. */
    static ModelProto convModel(boolean relu, long seed) {
        return convModel(relu, seed, 1);
    }

    /** As above, with output channel 0's weights {@code loudness} times larger. */
    static ModelProto convModel(boolean relu, long seed, float loudness) {
        OnnxGraph g = new OnnxGraph("conv");
        String x = g.input(SpecOnnxWriter.INPUT, C_IN, H, H); // the batch dimension is added
        SplittableRandom r = new SplittableRandom(seed);
        float[] w = new float[C_OUT * C_IN * 9];
        for (int i = 0; i < w.length; i++) w[i] = (float) (r.nextGaussian() * 0.2 * (i < C_IN * 9 ? loudness : 1));
        String y = g.node("Conv", "conv", List.of(x, g.floats("conv.weight", new long[] {C_OUT, C_IN, 3, 3}, w),
                g.floats("conv.bias", new long[] {C_OUT}, new float[C_OUT])), OnnxGraph.Attr.ints("kernel_shape", 3, 3),
                OnnxGraph.Attr.ints("pads", 1, 1, 1, 1));
        if (relu) y = g.node("Relu", "conv.relu", List.of(y));
        String out = g.node("Flatten", "flatten", List.of(g.node("GlobalAveragePool", "pool", List.of(y))));
        g.output(out, C_OUT);
        return g.build(Map.of());
    }

    /** Inputs with a clearly non-zero mean, as post-activation feature maps have. */
    static float[] inputs(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[N * C_IN * H * H];
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextDouble() * 2);
        return x;
    }

    static float[][] run(ModelProto m, float[] x) throws Exception {
        try (OnnxModel o = new OnnxModel(m.toByteArray(), 1)) {
            return o.run(x, new long[] {N, C_IN, H, H}, m.getGraph().getOutput(0).getName());
        }
    }

    /** Largest |mean over the batch of (a - b)| over channels: the systematic part of the error. */
    static double meanShift(float[][] a, float[][] b) {
        double worst = 0;
        for (int c = 0; c < a[0].length; c++) {
            double s = 0;
            for (int i = 0; i < a.length; i++) s += a[i][c] - b[i][c];
            worst = Math.max(worst, Math.abs(s / a.length));
        }
        return worst;
    }

    @Test
    void biasCorrectionRemovesTheMeanShiftOfWeightRounding() throws Exception {
        ModelProto model = convModel(false, 3);
        float[] x = inputs(5);
        Calibration cal = Calibration.run(model, QdqQuantizer.tensorsToCalibrate(model), List.of(x), new long[] {C_IN, H, H});
        // No activation ranges: weights alone are int8, so the only error is weight rounding.
        float[][] f = run(model, x);
        double plain = meanShift(run(QdqQuantizer.quantize(model, Map.of(), Set.of(), Map.of()), x), f);
        double fixed = meanShift(run(QdqQuantizer.quantize(model, Map.of(), Set.of(), cal.channelMeans()), x), f);
        assertTrue(plain > 1e-4, "weight rounding shifts the outputs: " + plain);
        assertTrue(fixed < plain / 5, "bias correction removes the shift: " + plain + " -> " + fixed);
    }

    @Test
    void aReluWhoseOutputStaysFloatIsKept() throws Exception {
        ModelProto model = convModel(true, 4);
        float[] x = inputs(6);
        // Weight-only: the Relu output has no range, so no uint8 zero point clamps it; the Relu must stay.
        ModelProto q = QdqQuantizer.quantize(model, Map.of(), Set.of(), Map.of());
        assertTrue(q.getGraph().getNodeList().stream().anyMatch(n -> n.getOpType().equals("Relu")), "Relu kept");
        float[][] f = run(model, x), o = run(q, x);
        assertTrue(meanShift(o, f) < 0.05, "outputs agree with float: " + meanShift(o, f));
        // With its output quantized, the Relu folds into the conv's uint8 range.
        Calibration cal = Calibration.run(model, QdqQuantizer.tensorsToCalibrate(model), List.of(x), new long[] {C_IN, H, H});
        ModelProto folded = QdqQuantizer.quantize(model, cal.ranges(Calibration.Method.MINMAX), Set.of(), Map.of());
        assertTrue(folded.getGraph().getNodeList().stream().noneMatch(n -> n.getOpType().equals("Relu")), "Relu folded");
        assertTrue(meanShift(run(folded, x), f) < 0.05);
    }

    @Test
    void aFloatLayerAfterAFoldedReluReadsClampedValues() throws Exception {
        OnnxGraph g = new OnnxGraph("two");
        String x = g.input(SpecOnnxWriter.INPUT, C_IN, H, H);
        SplittableRandom r = new SplittableRandom(9);
        float[] w1 = new float[C_OUT * C_IN * 9], w2 = new float[C_OUT * C_OUT];
        for (int i = 0; i < w1.length; i++) w1[i] = (float) (r.nextGaussian() * 0.2);
        for (int i = 0; i < w2.length; i++) w2[i] = (float) (r.nextGaussian() * 0.2);
        String y = g.node("Relu", "conv.relu", List.of(g.node("Conv", "conv", List.of(x, g.floats("conv.weight", new long[] {C_OUT, C_IN, 3, 3}, w1),
                g.floats("conv.bias", new long[] {C_OUT}, new float[C_OUT])), OnnxGraph.Attr.ints("kernel_shape", 3, 3),
                OnnxGraph.Attr.ints("pads", 1, 1, 1, 1))));
        y = g.node("Conv", "conv2", List.of(y, g.floats("conv2.weight", new long[] {C_OUT, C_OUT, 1, 1}, w2),
                g.floats("conv2.bias", new long[] {C_OUT}, new float[C_OUT])), OnnxGraph.Attr.ints("kernel_shape", 1, 1));
        String out = g.node("Flatten", "flatten", List.of(g.node("GlobalAveragePool", "pool", List.of(y))));
        g.output(out, C_OUT);
        ModelProto model = g.build(Map.of());
        float[] in = inputs(10);
        Calibration cal = Calibration.run(model, QdqQuantizer.tensorsToCalibrate(model), List.of(in), new long[] {C_IN, H, H});
        float[][] f = run(model, in);
        // conv2 in float reads its input raw: had the Relu been folded into conv's uint8 range, it would read unclamped negatives.
        ModelProto q = QdqQuantizer.quantize(model, cal.ranges(Calibration.Method.MINMAX), Set.of("conv2"), cal.channelMeans());
        assertTrue(meanShift(run(q, in), f) < 0.02, "float conv2 after a Relu agrees with float: " + meanShift(run(q, in), f));
    }

    @Test
    void perChannelActivationScalesKeepQuietChannelsThatOneScalePerTensorRoundsAway() throws Exception {
        // One output channel 50x louder than the others, as a few channels of a trained MobileNetV3's tensors are.
        ModelProto model = convModel(false, 13, 50);
        float[] x = inputs(14);
        long[] item = {C_IN, H, H};
        List<String> tensors = QdqQuantizer.tensorsToCalibrate(model);
        Calibration cal = Calibration.run(model, tensors, List.of(x), item);
        ModelProto perTensor = QdqQuantizer.quantize(model, cal.ranges(Calibration.Method.MINMAX), Set.of(), Map.of());
        Map<String, float[][]> channels = ActivationGranularity.channelRanges(model, tensors, List.of(x), item);
        assertTrue(channels.keySet().containsAll(tensors), "every quantized tensor has channel ranges: " + channels.keySet());
        ModelProto perChannel = QdqQuantizer.withChannelScales(perTensor, channels);
        long axisNodes = perChannel.getGraph().getNodeList().stream().filter(n -> n.getName().endsWith("_quantize") || n.getName().endsWith("_dequantize"))
                .filter(n -> n.getAttributeList().stream().anyMatch(a -> a.getName().equals("axis") && a.getI() == 1)).count();
        assertEquals(2L * tensors.size(), axisNodes, "each quantized tensor's QuantizeLinear and DequantizeLinear read per-channel scales");
        // Measured against the weights-only int8 model, so both errors are the activations' rounding alone
        // (the weight rounding they share is the same in both and would blur the comparison).
        float[][] f, pt, pc;
        ModelProto weightsOnly = QdqQuantizer.quantize(model, Map.of(), Set.of(), Map.of());
        try (OnnxModel o = OnnxModel.unoptimized(perTensor.toByteArray()); OnnxModel p = OnnxModel.unoptimized(perChannel.toByteArray());
                OnnxModel w = OnnxModel.unoptimized(weightsOnly.toByteArray())) {
            f = w.run(x, new long[] {N, C_IN, H, H}, model.getGraph().getOutput(0).getName());
            pt = o.run(x, new long[] {N, C_IN, H, H}, model.getGraph().getOutput(0).getName());
            pc = p.run(x, new long[] {N, C_IN, H, H}, model.getGraph().getOutput(0).getName());
        }
        double errTensor = 0, errChannel = 0;
        for (int s = 0; s < N; s++) {
            for (int c = 1; c < C_OUT; c++) { // the quiet channels
                errTensor += Math.abs(pt[s][c] - f[s][c]);
                errChannel += Math.abs(pc[s][c] - f[s][c]);
            }
        }
        assertTrue(errChannel < errTensor / 4, "quiet channels' int8 error: " + errTensor + " per tensor, " + errChannel + " per channel");
    }

    @Test
    void segmentQuantileRangesIgnoreAFewExtremeSegmentsThatPooledMethodsFollow() throws Exception {
        // 32 segments, two of them 40x louder: as quiet passages drive a trained MobileNetV3's head.
        ModelProto model = convModel(false, 11);
        float[] x = inputs(12);
        int per = C_IN * H * H;
        for (int s : new int[] {7, 20}) for (int i = s * per; i < (s + 1) * per; i++) x[i] *= 40;
        Calibration cal = Calibration.run(model, QdqQuantizer.tensorsToCalibrate(model), List.of(x), new long[] {C_IN, H, H});
        String conv = QdqQuantizer.tensorsToCalibrate(model).get(0);
        float[] minMax = cal.ranges(Calibration.Method.MINMAX).get(conv), seg = cal.ranges(Calibration.Method.SEGMENT_90).get(conv);
        assertTrue(seg[1] < minMax[1] / 10 && seg[0] > minMax[0] / 10, "the two loud segments set min/max, not the 90% range: "
                + java.util.Arrays.toString(minMax) + " vs " + java.util.Arrays.toString(seg));
        // And the ordinary 30 segments come out of int8 closer to float with it.
        float[][] f = run(model, x), mm = run(QdqQuantizer.quantize(model, cal.ranges(Calibration.Method.MINMAX), Set.of(), Map.of()), x),
                sq = run(QdqQuantizer.quantize(model, cal.ranges(Calibration.Method.SEGMENT_90), Set.of(), Map.of()), x);
        double errMinMax = 0, errSeg = 0;
        for (int s = 0; s < N; s++) {
            if (s == 7 || s == 20) continue;
            for (int c = 0; c < C_OUT; c++) {
                errMinMax += Math.abs(mm[s][c] - f[s][c]);
                errSeg += Math.abs(sq[s][c] - f[s][c]);
            }
        }
        assertTrue(errSeg < errMinMax / 4, "ordinary segments' int8 error: " + errMinMax + " with min/max, " + errSeg + " with the 90% range");
    }

    @Test
    void mseRangeClipsARareTailThatMinMaxWouldSpendTheSteps() {
        // About 10 million values in [0, 1], ten at 100: min/max spends the uint8 steps on the tail,
        // costing more (steps of 0.39 for everyone) than clipping the ten does.
        long[] h = new long[Calibration.BINS];
        float min = 0, max = 100;
        double w = (max - min) / Calibration.BINS;
        for (int i = 0; i * w < 1; i++) h[i] = 250_000;
        h[Calibration.BINS - 1] += 10;
        float[] r = Calibration.mseRange(h, min, max);
        assertTrue(r[0] == 0 && r[1] < 0.8 * max, "the tail is clipped: " + r[0] + ".." + r[1]);
        assertTrue(error(h, min, w, r[0], r[1]) < 0.6 * error(h, min, w, min, max), "and the squared error is lower");
        // Without the bulk's weight, the tail is worth keeping: ten values and nothing else.
        long[] tail = new long[Calibration.BINS];
        tail[0] = 10;
        tail[Calibration.BINS - 1] = 10;
        assertTrue(Calibration.mseRange(tail, min, max)[1] > 95, "a range with nothing to trade keeps its max");
    }

    static double error(long[] h, float min, double w, double lo, double hi) {
        double step = (hi - lo) / 255, e = 0;
        for (int i = 0; i < h.length; i++) {
            double x = min + (i + 0.5) * w, c = Math.max(lo, Math.min(hi, x));
            double q = lo + Math.round((c - lo) / step) * step;
            e += h[i] * (x - q) * (x - q);
        }
        return e;
    }

    @Test
    void aFloatExcitationUnitKeepsItsPathFloat() {
        OnnxGraph g = new OnnxGraph("se");
        String x = g.input(SpecOnnxWriter.INPUT, C_IN, H, H);
        String p = g.node("GlobalAveragePool", "b0.se.pool", List.of(x));
        String gate = g.node("HardSigmoid", "b0.se.gate", List.of(p));
        String y = g.node("Mul", "b0.se.scale", List.of(x, gate));
        g.output(y, C_IN, H, H);
        ModelProto m = g.build(Map.of());
        Map<String, float[]> ranges = new java.util.HashMap<>();
        for (String t : QdqQuantizer.tensorsToCalibrate(m)) ranges.put(t, new float[] {0, 1});
        ranges.put(y, new float[] {0, 1});
        assertTrue(quantizedInputs(QdqQuantizer.quantize(m, ranges, Set.of())).containsAll(List.of(p, gate, y)), "by default all int8");
        List<String> quantized = quantizedInputs(QdqQuantizer.quantize(m, ranges, Set.of("b0.se")));
        assertTrue(!quantized.contains(p) && !quantized.contains(gate), "the float unit's pool and gate stay float: " + quantized);
        assertTrue(quantized.contains(y), "the gated feature map is quantized: " + quantized);
        assertTrue(QdqQuantizer.excitationUnits(m.getGraph()).equals(List.of("b0.se")));
    }

    static List<String> quantizedInputs(ModelProto q) {
        List<String> out = new ArrayList<>();
        q.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("QuantizeLinear")).forEach(n -> out.add(n.getInput(0)));
        return out;
    }
}
