package dev.genre.deploy.latency;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.genre.deploy.onnx.OnnxGraph;
import dev.genre.deploy.onnx.SpecOnnxWriter;
import dev.genre.deploy.quant.Calibration;
import dev.genre.deploy.quant.QdqQuantizer;
import dev.genre.search.latency.Precision;
import dev.genre.search.net.FoldedWeights;
import dev.genre.search.spec.Layer;
import dev.genre.search.spec.NetworkSpec;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The models a device profile times, with random weights (timing does not depend on trained
 * values): one layer, a trivial boundary model, or a whole network. In int8 each is quantized as
 * the shipping model is ({@link QdqQuantizer}, min/max ranges from running the float model on one
 * dB-range input), so the table holds the latency of the arithmetic the phone runs.
 */
public final class ProfileModels {
    /** A typical log-mel normalisation; any value gives the same graph and the same time. */
    static final double MEAN = -40, STD = 20;

    private ProfileModels() {}

    public static byte[] layer(Layer row, Precision precision, long seed) throws IOException {
        ModelProto m = SpecOnnxWriter.writeLayer(row, FoldedWeights.random(List.of(row), seed), Map.of());
        return finish(m, SpecOnnxWriter.inputDims(row), precision, true);
    }

    /**
     * Input -> Identity -> output of one tensor shape (quantized at the input in int8): the session
     * call, input quantize and output dequantize that a one-layer model pays and a layer inside a
     * network does not.
     */
    public static byte[] boundary(long[] dims, Precision precision) throws IOException {
        OnnxGraph g = new OnnxGraph("boundary");
        g.node("Identity", SpecOnnxWriter.LAYER_OUTPUT, List.of(g.input(SpecOnnxWriter.INPUT, dims)));
        g.output(SpecOnnxWriter.LAYER_OUTPUT, dims);
        return finish(g.build(Map.of()), dims, precision, true);
    }

    public static byte[] network(NetworkSpec spec, Precision precision, long seed) throws IOException {
        ModelProto m = SpecOnnxWriter.write(spec, FoldedWeights.random(spec, seed), MEAN, STD, Map.of());
        int[] in = spec.input();
        return finish(m, new long[] {in[0], in[1], in[2]}, precision, false);
    }

    /** @param quantizeInput a profile model's input stands for the previous layer's uint8 output; a network's is the float log-mel */
    private static byte[] finish(ModelProto m, long[] dims, Precision precision, boolean quantizeInput) throws IOException {
        if (precision == Precision.FLOAT) return m.toByteArray();
        int n = 1;
        for (long d : dims) n *= (int) d;
        List<String> tensors = QdqQuantizer.tensorsToCalibrate(m);
        Map<String, float[]> ranges = new HashMap<>();
        if (!tensors.isEmpty()) ranges.putAll(Calibration.run(m, tensors, List.of(LocalLatency.dbInput(n, 7)), dims).ranges(Calibration.Method.MINMAX));
        if (quantizeInput) ranges.put(SpecOnnxWriter.INPUT, new float[] {LocalLatency.DB_LOW, 0});
        return QdqQuantizer.quantize(m, ranges, Set.of()).toByteArray();
    }
}
