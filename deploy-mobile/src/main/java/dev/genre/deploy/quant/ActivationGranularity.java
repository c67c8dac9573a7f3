package dev.genre.deploy.quant;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.genre.dataset.SegmentDataset;
import dev.genre.deploy.onnx.OnnxEvaluation;
import dev.genre.deploy.onnx.OnnxModel;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How much of int8's disagreement with float comes from one activation scale per tensor. The same
 * model, weights int8 as shipped, is scored three ways against float: activations float, one uint8
 * scale per tensor, and one uint8 scale per channel of every activation tensor (both MSE ranges).
 * Per channel is the most that cross-layer equalisation, or any other rescaling of channels, could
 * approach with 8-bit activations; if it stays short of a target, no per-tensor range fix reaches it.
 * Analysis only: ONNX Runtime's int8 kernels take one input scale, so all three run unoptimized as
 * QDQ reference graphs (float nodes between the roundings), which also keeps them comparable.
 */
public final class ActivationGranularity {
    /** Top-1 agreement with float on the scored segments. */
    @JsonPropertyOrder({"segments", "weightsOnly", "perTensor", "perChannel"})
    public record Result(int segments, double weightsOnly, double perTensor, double perChannel) {}

    /** Histogram bins per channel: fewer than the per-tensor 4096, as there are ~40,000 channels. */
    static final int BINS = 512;

    private ActivationGranularity() {}

    /**
     * @param calibration the per-tensor calibration of {@code model} on {@code batches}
     * @param item        one calibration input's shape without the batch dimension
     */
    public static Result measure(ModelProto model, Calibration calibration, List<float[]> batches, long[] item, SegmentDataset test,
                                 List<String> genres) throws IOException {
        WeightRounding rounding = WeightRounding.nearest(calibration.channelMeans());
        ModelProto perTensor = QdqQuantizer.quantize(model, calibration.ranges(Calibration.Method.MSE), Set.of(), rounding);
        Map<String, float[][]> channels = channelRanges(model, QdqQuantizer.tensorsToCalibrate(model), batches, item);
        float[][] f;
        try (OnnxModel m = new OnnxModel(model.toByteArray(), 1)) {
            f = OnnxEvaluation.of(m, test, genres).probabilities();
        }
        return new Result(test.size(), agreement(QdqQuantizer.quantize(model, Map.of(), Set.of(), rounding), test, genres, f),
                agreement(perTensor, test, genres, f), agreement(QdqQuantizer.withChannelScales(perTensor, channels), test, genres, f));
    }

    private static double agreement(ModelProto q, SegmentDataset test, List<String> genres, float[][] floatProbs) throws IOException {
        try (OnnxModel m = OnnxModel.unoptimized(q.toByteArray())) {
            return OnnxEvaluation.agreement(floatProbs, OnnxEvaluation.of(m, test, genres).probabilities());
        }
    }

    /**
     * The MSE range of every channel (axis 1) of each tensor with at least two channels, from two
     * passes over the batches: per-channel min/max, then a histogram of each channel in its range.
     */
    static Map<String, float[][]> channelRanges(ModelProto model, List<String> tensors, List<float[]> batches, long[] item) throws IOException {
        Map<String, float[][]> minMax = new LinkedHashMap<>();
        Map<String, long[][]> histograms = new LinkedHashMap<>();
        Calibration.passes(model, new LinkedHashSet<>(tensors), batches, item, 2, (pass, in, items, r) -> {
            for (String t : tensors) {
                OnnxTensor v = (OnnxTensor) r.get(t).orElseThrow();
                long[] sh = v.getInfo().getShape();
                if (sh.length >= 2 && sh[1] >= 2) observe(t, v.getFloatBuffer(), sh, pass, minMax, histograms);
            }
        });
        Map<String, float[][]> out = new LinkedHashMap<>();
        for (var e : minMax.entrySet()) {
            float[][] r = new float[e.getValue().length][];
            for (int c = 0; c < r.length; c++) {
                float[] mse = Calibration.mseRange(histograms.get(e.getKey())[c], e.getValue()[c][0], e.getValue()[c][1]);
                r[c] = new float[] {Math.min(0, mse[0]), Math.max(0, mse[1])};
            }
            out.put(e.getKey(), r);
        }
        return out;
    }

    private static void observe(String t, FloatBuffer fb, long[] shape, int pass, Map<String, float[][]> minMax, Map<String, long[][]> histograms) {
        int channels = (int) shape[1];
        long inner = 1;
        for (int i = 2; i < shape.length; i++) inner *= shape[i];
        float[][] m = minMax.computeIfAbsent(t, k -> {
            float[][] z = new float[channels][];
            for (int c = 0; c < channels; c++) z[c] = new float[] {Float.MAX_VALUE, -Float.MAX_VALUE};
            return z;
        });
        long[][] h = pass == 1 ? histograms.computeIfAbsent(t, k -> new long[channels][BINS]) : null;
        int idx = 0;
        for (long n = 0; n < shape[0]; n++) {
            for (int c = 0; c < channels; c++) {
                float[] r = m[c];
                double w = Math.max(1e-12, (double) r[1] - r[0]);
                for (long i = 0; i < inner; i++) {
                    float v = fb.get(idx++);
                    if (pass == 0) {
                        r[0] = Math.min(r[0], v);
                        r[1] = Math.max(r[1], v);
                    } else {
                        h[c][Math.max(0, Math.min(BINS - 1, (int) ((v - r[0]) / w * BINS)))]++;
                    }
                }
            }
        }
    }
}
