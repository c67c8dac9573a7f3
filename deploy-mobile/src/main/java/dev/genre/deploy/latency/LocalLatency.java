package dev.genre.deploy.latency;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.genre.deploy.onnx.SpecOnnxWriter;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Times one-segment inference of an ONNX model on this machine with ONNX Runtime pinned to
 * {@code threads} intra-op threads (sequential execution, no spinning between runs, as an app
 * calls it), the input shape read from the model. Medians, not means: the machine is shared.
 */
public final class LocalLatency {
    public static final float DB_LOW = -80;

    private LocalLatency() {}

    public static LatencyStats measure(byte[] model, int threads, int warmup, int runs) throws IOException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(threads);
            o.setInterOpNumThreads(1);
            o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            o.addConfigEntry("session.intra_op.allow_spinning", "0");
            try (OrtSession s = env.createSession(model, o)) {
                long[] shape = inputShape(s);
                int n = 1;
                for (long d : shape) n *= (int) d;
                float[] x = dbInput(n, 1);
                try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape)) {
                    Map<String, OnnxTensor> feed = Map.of(SpecOnnxWriter.INPUT, in);
                    for (int i = 0; i < warmup; i++) s.run(feed).close();
                    double[] ms = new double[runs];
                    for (int i = 0; i < runs; i++) {
                        long t0 = System.nanoTime();
                        s.run(feed).close();
                        ms[i] = (System.nanoTime() - t0) / 1e6;
                    }
                    return LatencyStats.of(ms);
                }
            }
        } catch (OrtException e) {
            throw new IOException("latency measurement failed: " + e.getMessage(), e);
        }
    }

    /** Uniform values in [-80, 0]: the range of a log-mel in dB, what every timed model is fed. */
    public static float[] dbInput(int n, long seed) {
        float[] x = new float[n];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) x[i] = (float) (DB_LOW + -DB_LOW * r.nextDouble());
        return x;
    }

    /** The model's input shape with the batch dimension set to 1. */
    static long[] inputShape(OrtSession s) throws OrtException {
        var info = (ai.onnxruntime.TensorInfo) s.getInputInfo().get(SpecOnnxWriter.INPUT).getInfo();
        long[] shape = info.getShape().clone();
        shape[0] = 1;
        return shape;
    }
}
