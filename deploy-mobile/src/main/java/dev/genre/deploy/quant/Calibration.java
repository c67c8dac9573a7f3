package dev.genre.deploy.quant;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.genre.deploy.onnx.SpecOnnxWriter;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-tensor activation ranges from running the float model on calibration segments: every tensor
 * to be quantized is made a graph output, and ORT reports its values. Two passes: min/max, then a
 * histogram in that range, from which the percentile method cuts the tails.
 */
public final class Calibration {
    public enum Method { MINMAX, PERCENTILE }

    static final int BINS = 4096;
    /** Share of values clipped at each end by the percentile method (99.99th percentile). */
    static final double TAIL = 1e-4;

    private final Map<String, float[]> minMax = new LinkedHashMap<>();
    private final Map<String, long[]> histograms = new LinkedHashMap<>();

    /** A range for each tensor by {@code method}: [low, high], always containing 0. */
    public Map<String, float[]> ranges(Method method) {
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
            }
            out.put(e.getKey(), new float[] {Math.min(0, lo), Math.max(0, hi)});
        }
        return out;
    }

    /** Runs {@code batches} of [n, 1, mels, frames] segments through {@code model}, recording {@code tensors}. */
    public static Calibration run(ModelProto model, List<String> tensors, List<float[]> batches, int mels, int frames) throws IOException {
        return run(model, tensors, batches, new long[] {1, mels, frames});
    }

    /** Runs batches of inputs of shape [n, item...] (e.g. a one-layer model's input tensor), recording {@code tensors}. */
    public static Calibration run(ModelProto model, List<String> tensors, List<float[]> batches, long[] item) throws IOException {
        long itemSize = 1;
        for (long d : item) itemSize *= d;
        ModelProto.Builder b = model.toBuilder();
        var g = b.getGraphBuilder();
        for (String t : tensors) {
            g.addOutput(ValueInfoProto.newBuilder().setName(t).setType(TypeProto.newBuilder()
                    .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()))));
        }
        Calibration c = new Calibration();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT); // keep every named tensor
            try (OrtSession s = env.createSession(b.build().toByteArray(), o)) {
                for (int pass = 0; pass < 2; pass++) {
                    for (float[] x : batches) {
                        long[] shape = new long[item.length + 1];
                        shape[0] = x.length / itemSize;
                        System.arraycopy(item, 0, shape, 1, item.length);
                        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
                             OrtSession.Result r = s.run(Map.of(SpecOnnxWriter.INPUT, in), new java.util.HashSet<>(tensors))) {
                            for (String t : tensors) {
                                OnnxValue v = r.get(t).orElseThrow();
                                FloatBuffer fb = ((OnnxTensor) v).getFloatBuffer();
                                if (pass == 0) c.observeMinMax(t, fb);
                                else c.observeHistogram(t, fb);
                            }
                        }
                    }
                }
            }
        } catch (OrtException e) {
            throw new IOException("calibration failed: " + e.getMessage(), e);
        }
        return c;
    }

    private void observeMinMax(String t, FloatBuffer fb) {
        float[] mm = minMax.computeIfAbsent(t, k -> new float[] {Float.MAX_VALUE, -Float.MAX_VALUE});
        while (fb.hasRemaining()) {
            float v = fb.get();
            if (v < mm[0]) mm[0] = v;
            if (v > mm[1]) mm[1] = v;
        }
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
