package dev.genre.deploy.quant;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.genre.dataset.SegmentDataset;
import dev.genre.deploy.onnx.SpecOnnxWriter;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Per-tensor activation ranges from running the float model on calibration segments: every tensor
 * to be quantized is made a graph output, and ORT reports its values. Two passes: min/max, then a
 * histogram in that range, from which the percentile method cuts the tails.
 */
public final class Calibration {
    /**
     * MINMAX: the observed range. PERCENTILE: the 0.01% tails cut. MSE: the range that minimises the
     * expected squared error of uint8 quantization over the histogram, clipping error against
     * rounding error (as PyTorch's HistogramObserver does). SEGMENT_q: the range that holds every
     * value of q% of the calibration segments (the q-quantile of the segments' maxima, likewise for
     * minima). The other three pool values, so a few segments with extreme activations set their
     * ranges, and trained MobileNetV3s have such segments: on GTZAN, quiet passages drive the head to
     * 50-100x the median segment's maximum, leaving ordinary segments one or two uint8 steps there
     * under min/max.
     */
    public enum Method {
        MINMAX(1), PERCENTILE(1), MSE(1), SEGMENT_80(0.80), SEGMENT_90(0.90), SEGMENT_95(0.95);

        private final double segmentQuantile;

        Method(double segmentQuantile) {
            this.segmentQuantile = segmentQuantile;
        }
    }

    static final int BINS = 4096;
    /** Share of values clipped at each end by the percentile method (99.99th percentile). */
    static final double TAIL = 1e-4;

    private final Map<String, float[]> minMax = new LinkedHashMap<>();
    // Per-channel sums and counts of every weighted layer's input (axis 1 of NCHW or NC), for bias correction.
    private final Map<String, double[]> channelSums = new LinkedHashMap<>();
    private final Map<String, Long> channelCounts = new LinkedHashMap<>();
    private final Map<String, long[]> histograms = new LinkedHashMap<>();
    // Each calibration segment's own min and max of every tensor, for the segment-quantile method.
    private final Map<String, List<float[]>> segmentExtremes = new LinkedHashMap<>();

    /** A range for each tensor by {@code method}: [low, high], always containing 0. */
    public Map<String, float[]> ranges(Method method) {
        if (method.segmentQuantile < 1) return segmentQuantileRanges(method.segmentQuantile);
        Map<String, float[]> out = new LinkedHashMap<>();
        for (var e : minMax.entrySet()) {
            float lo = e.getValue()[0], hi = e.getValue()[1];
            if (method == Method.PERCENTILE) {
                long[] h = histograms.get(e.getKey());
                long total = 0;
                for (long c : h) total += c;
                long cut = (long) Math.floor(total * TAIL), acc = 0;
                int a = 0, b = BINS - 1;
                while (a < BINS - 1 && acc + h[a] <= cut) acc += h[a++];
                acc = 0;
                while (b > 0 && acc + h[b] <= cut) acc += h[b--];
                double w = (hi - lo) / BINS;
                float plo = (float) (lo + a * w), phi = (float) (lo + (b + 1) * w);
                lo = Math.max(lo, plo);
                hi = Math.min(hi, phi);
            } else if (method == Method.MSE) {
                float[] best = mseRange(histograms.get(e.getKey()), lo, hi);
                lo = best[0];
                hi = best[1];
            }
            out.put(e.getKey(), new float[] {Math.min(0, lo), Math.max(0, hi)});
        }
        return out;
    }

    private static final int GRID = 48;

    /**
     * The [lo, hi] (lo = min * a, hi = max * b over a grid of a, b in (0, 1]) with the least expected
     * squared error: values outside are clipped to the edge, values inside round to a step of
     * (hi - lo) / 255, costing step^2 / 12 each. Prefix sums over the histogram make each candidate O(1).
     */
    static float[] mseRange(long[] h, float min, float max) {
        int bins = h.length;
        double w = ((double) max - min) / bins;
        if (w <= 0) return new float[] {min, max};
        double[] n = new double[bins + 1], sx = new double[bins + 1], sxx = new double[bins + 1];
        for (int i = 0; i < bins; i++) {
            double x = min + (i + 0.5) * w;
            n[i + 1] = n[i] + h[i];
            sx[i + 1] = sx[i] + h[i] * x;
            sxx[i + 1] = sxx[i] + h[i] * x * x;
        }
        double bestErr = Double.MAX_VALUE;
        float[] best = {min, max};
        for (int a = 1; a <= GRID; a++) {
            double lo = Math.min(0, min) * a / GRID;
            for (int b = 1; b <= GRID; b++) {
                double hi = Math.max(0, max) * b / GRID;
                if (hi - lo <= 0) continue;
                int il = (int) Math.floor((lo - min) / w), ih = (int) Math.ceil((hi - min) / w);
                il = Math.max(0, Math.min(bins, il));
                ih = Math.max(il, Math.min(bins, ih));
                // below lo: sum (x - lo)^2; above hi: sum (x - hi)^2; inside: count * step^2 / 12
                double below = sxx[il] - 2 * lo * sx[il] + lo * lo * n[il];
                double above = (sxx[bins] - sxx[ih]) - 2 * hi * (sx[bins] - sx[ih]) + hi * hi * (n[bins] - n[ih]);
                double step = (hi - lo) / 255;
                double err = below + above + (n[ih] - n[il]) * step * step / 12;
                if (err < bestErr) {
                    bestErr = err;
                    best = new float[] {(float) lo, (float) hi};
                }
            }
        }
        return best;
    }

    /** The mean of each channel of every Conv/Gemm input over the calibration data. */
    public Map<String, double[]> channelMeans() {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (var e : channelSums.entrySet()) {
            double[] m = e.getValue().clone();
            long n = channelCounts.get(e.getKey());
            for (int i = 0; i < m.length; i++) m[i] /= n;
            out.put(e.getKey(), m);
        }
        return out;
    }

    /** {@code n} distinct segments of {@code data} drawn with {@code seed}, in batches of 32: the calibration input. */
    public static List<float[]> batches(SegmentDataset data, int n, long seed) {
        int per = data.nMels() * data.frames();
        n = Math.min(n, data.size());
        int[] pick = new SplittableRandom(seed).ints(0, data.size()).distinct().limit(n).toArray();
        List<float[]> batches = new ArrayList<>();
        for (int from = 0; from < n; from += 32) {
            int count = Math.min(32, n - from);
            float[] x = new float[count * per];
            for (int i = 0; i < count; i++) data.copy(pick[from + i], x, i * per);
            batches.add(x);
        }
        return batches;
    }

    /** Runs {@code batches} of [n, 1, mels, frames] segments through {@code model}, recording {@code tensors}. */
    public static Calibration run(ModelProto model, List<String> tensors, List<float[]> batches, int mels, int frames) throws IOException {
        return run(model, tensors, batches, new long[] {1, mels, frames});
    }

    /** Runs batches of inputs of shape [n, item...] (e.g. a one-layer model's input tensor), recording {@code tensors}. */
    public static Calibration run(ModelProto model, List<String> tensors, List<float[]> batches, long[] item) throws IOException {
        // Fetched: the tensors to calibrate and every weighted layer's input (for bias correction);
        // the graph input is not fetched, it is the tensor we feed.
        Set<String> layerInputs = new LinkedHashSet<>();
        for (var n : model.getGraph().getNodeList()) {
            if (n.getOpType().equals("Conv") || n.getOpType().equals("Gemm")) layerInputs.add(n.getInput(0));
        }
        Set<String> fetch = new LinkedHashSet<>(tensors);
        fetch.addAll(layerInputs);
        fetch.remove(SpecOnnxWriter.INPUT);
        Calibration c = new Calibration();
        passes(model, fetch, batches, item, 2, (pass, in, items, r) -> {
            for (String t : tensors) {
                FloatBuffer fb = ((OnnxTensor) r.get(t).orElseThrow()).getFloatBuffer();
                if (pass == 0) c.observeMinMax(t, fb, items);
                else c.observeHistogram(t, fb);
            }
            if (pass == 0) {
                for (String t : layerInputs) {
                    OnnxTensor v = t.equals(SpecOnnxWriter.INPUT) ? in : (OnnxTensor) r.get(t).orElseThrow();
                    c.observeChannels(t, v.getFloatBuffer(), v.getInfo().getShape());
                }
            }
        });
        return c;
    }

    /** What a calibration pass does with one batch: its input, its item count, and the fetched tensors. */
    interface BatchVisitor {
        void visit(int pass, OnnxTensor input, long items, OrtSession.Result fetched) throws OrtException;
    }

    /**
     * Runs the float model over all batches {@code passes} times (a later pass can bin what an earlier
     * one bounded), with {@code fetch} exposed as outputs and ONNX Runtime's fusions off so every
     * named tensor exists.
     */
    static void passes(ModelProto model, Set<String> fetch, List<float[]> batches, long[] item, int passes, BatchVisitor visitor) throws IOException {
        long itemSize = 1;
        for (long d : item) itemSize *= d;
        ModelProto.Builder b = model.toBuilder();
        exposeAsOutputs(b, fetch);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT); // keep every named tensor
            try (OrtSession s = env.createSession(b.build().toByteArray(), o)) {
                for (int pass = 0; pass < passes; pass++) {
                    for (float[] x : batches) {
                        long[] shape = new long[item.length + 1];
                        shape[0] = x.length / itemSize;
                        System.arraycopy(item, 0, shape, 1, item.length);
                        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
                             OrtSession.Result r = s.run(Map.of(SpecOnnxWriter.INPUT, in), fetch)) {
                            visitor.visit(pass, in, shape[0], r);
                        }
                    }
                }
            }
        } catch (OrtException e) {
            throw new IOException("calibration failed: " + e.getMessage(), e);
        }
    }

    /** Adds each float tensor of {@code tensors} that is not already one as a graph output, so a session can fetch it. */
    static void exposeAsOutputs(ModelProto.Builder b, Set<String> tensors) {
        Set<String> outputs = new HashSet<>();
        b.getGraph().getOutputList().forEach(o -> outputs.add(o.getName()));
        for (String t : tensors) {
            if (outputs.contains(t)) continue;
            b.getGraphBuilder().addOutput(ValueInfoProto.newBuilder().setName(t).setType(TypeProto.newBuilder()
                    .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()))));
        }
    }

    /** Channel sums of an [N, C, ...] tensor. */
    private void observeChannels(String t, FloatBuffer fb, long[] shape) {
        int channels = (int) shape[1];
        long inner = 1;
        for (int i = 2; i < shape.length; i++) inner *= shape[i];
        double[] sums = channelSums.computeIfAbsent(t, k -> new double[channels]);
        int idx = 0;
        for (long n = 0; n < shape[0]; n++) {
            for (int ch = 0; ch < channels; ch++) {
                double s = 0;
                for (long i = 0; i < inner; i++) s += fb.get(idx++);
                sums[ch] += s;
            }
        }
        channelCounts.merge(t, shape[0] * inner, Long::sum);
    }

    private void observeMinMax(String t, FloatBuffer fb, long items) {
        float[] mm = minMax.computeIfAbsent(t, k -> new float[] {Float.MAX_VALUE, -Float.MAX_VALUE});
        List<float[]> perSegment = segmentExtremes.computeIfAbsent(t, k -> new ArrayList<>());
        int per = (int) (fb.remaining() / Math.max(1, items));
        for (long i = 0; i < items; i++) {
            float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
            for (int k = 0; k < per; k++) {
                float v = fb.get();
                if (v < lo) lo = v;
                if (v > hi) hi = v;
            }
            perSegment.add(new float[] {lo, hi});
            if (lo < mm[0]) mm[0] = lo;
            if (hi > mm[1]) mm[1] = hi;
        }
    }

    /** The q-quantile of the segments' maxima and the (1 - q)-quantile of their minima, for every tensor. */
    Map<String, float[]> segmentQuantileRanges(double q) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (var e : segmentExtremes.entrySet()) {
            int n = e.getValue().size();
            float[] lo = new float[n], hi = new float[n];
            for (int i = 0; i < n; i++) {
                lo[i] = e.getValue().get(i)[0];
                hi[i] = e.getValue().get(i)[1];
            }
            Arrays.sort(lo);
            Arrays.sort(hi);
            int k = (int) Math.min(n - 1, Math.ceil(q * n) - 1);
            out.put(e.getKey(), new float[] {Math.min(0, lo[n - 1 - k]), Math.max(0, hi[k])});
        }
        return out;
    }

    private void observeHistogram(String t, FloatBuffer fb) {
        float[] mm = minMax.get(t);
        long[] h = histograms.computeIfAbsent(t, k -> new long[BINS]);
        double w = Math.max(1e-12, (double) mm[1] - mm[0]);
        while (fb.hasRemaining()) {
            int bin = (int) ((fb.get() - mm[0]) / w * BINS);
            h[Math.max(0, Math.min(BINS - 1, bin))]++;
        }
    }
}
