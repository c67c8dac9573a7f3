package dev.genre.deploy.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * An ONNX model in ONNX Runtime with a fixed number of intra-op threads (1 = what a phone app
 * gives one inference). Input is the log-mel batch [n, 1, mels, frames]; output one output's rows.
 */
public final class OnnxModel implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final Path file;
    /** Inputs reach ONNX Runtime through this direct buffer: a heap array would be copied into a new direct buffer per batch. */
    private FloatBuffer staging = FloatBuffer.allocate(0);

    public OnnxModel(Path file, int threads) throws IOException {
        this(file, readAll(file), threads);
    }

    public OnnxModel(byte[] model, int threads) throws IOException {
        this(Path.of("<memory>"), model, threads);
    }

    /**
     * The graph run node by node as written, without ONNX Runtime's fusions: a QDQ model then rounds
     * in float at each QuantizeLinear instead of running int8 kernels (the reference semantics of QDQ).
     */
    public static OnnxModel unoptimized(byte[] model) throws IOException {
        return new OnnxModel(Path.of("<memory>"), model, 1, OrtSession.SessionOptions.OptLevel.NO_OPT);
    }

    /**
     * For a caller that always runs one batch shape ({@link FixedBatchRunner}): ONNX Runtime's memory
     * pattern is off, so the second run at a shape does not plan (and page in) a fresh arena block.
     * Fresh memory is what makes the first runs at a shape slow: 4.5 ms per 128x128 segment instead of 0.5.
     */
    public static OnnxModel forOneShape(Path file, int threads) throws IOException {
        return new OnnxModel(file, readAll(file), threads, OrtSession.SessionOptions.OptLevel.ALL_OPT, false);
    }

    private OnnxModel(Path file, byte[] model, int threads) throws IOException {
        this(file, model, threads, OrtSession.SessionOptions.OptLevel.ALL_OPT);
    }

    private OnnxModel(Path file, byte[] model, int threads, OrtSession.SessionOptions.OptLevel level) throws IOException {
        this(file, model, threads, level, true);
    }

    private OnnxModel(Path file, byte[] model, int threads, OrtSession.SessionOptions.OptLevel level, boolean memoryPattern) throws IOException {
        this.file = file;
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setMemoryPatternOptimization(memoryPattern);
            o.setIntraOpNumThreads(threads);
            o.setInterOpNumThreads(1);
            o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            o.setOptimizationLevel(level);
            session = env.createSession(model, o);
        } catch (OrtException e) {
            throw new IOException(file + ": ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
    }

    private static byte[] readAll(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no such model file");
        return Files.readAllBytes(file);
    }

    /** Runs a batch of {@code n} inputs of the given shape per item and returns {@code output}'s values, [n][k]. */
    public float[][] run(float[] x, long[] shape, String output) throws IOException {
        long n = 1;
        for (long d : shape) n *= d;
        if (staging.capacity() < n) staging = java.nio.ByteBuffer.allocateDirect(Math.toIntExact(4 * n)).order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
        staging.clear();
        staging.put(x, 0, (int) n).flip();
        try (OnnxTensor t = OnnxTensor.createTensor(env, staging, shape);
             OrtSession.Result r = session.run(Map.of(SpecOnnxWriter.INPUT, t), java.util.Set.of(output))) {
            return (float[][]) r.get(0).getValue();
        } catch (OrtException e) {
            throw new IOException(file + ": inference failed: " + e.getMessage(), e);
        }
    }

    OrtSession session() {
        return session;
    }

    OrtEnvironment env() {
        return env;
    }

    @Override
    public void close() throws IOException {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IOException(e);
        }
    }
}
