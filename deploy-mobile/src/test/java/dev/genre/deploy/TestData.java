package dev.genre.deploy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.genre.audio.mel.LogMelSpectrogram;
import dev.genre.audio.mel.MelParams;
import dev.genre.audio.synth.ClipSynthesizer;
import dev.genre.io.Npy;
import dev.genre.search.net.SpecNetwork;
import dev.genre.search.spec.NetworkSpec;
import dev.genre.search.train.Normalization;
import java.io.File;
import java.util.Arrays;

/** Real inputs for export tests: log-mel segments of clips from the project's own synthesizer. */
public final class TestData {
    private TestData() {}

    /** {@code count} segments [count, 1, 128, frames] in dB, cut from synthetic clips of several genres. */
    public static float[] segments(int count, int frames) {
        ClipSynthesizer synth = new ClipSynthesizer(22050);
        LogMelSpectrogram mel = new LogMelSpectrogram(MelParams.defaults());
        String[] genres = {"rock", "jazz", "techno", "classical"};
        float[] out = new float[count * 128 * frames];
        for (int s = 0; s < count; s++) {
            short[] pcm = synth.render(genres[s % genres.length], 11, s, frames * 512.0 / 22050 + 0.5);
            float[] x = new float[pcm.length];
            for (int i = 0; i < x.length; i++) x[i] = pcm[i] / 32768f;
            Npy.Matrix m = mel.compute(x);
            for (int r = 0; r < 128; r++) System.arraycopy(m.data(), r * m.cols(), out, (s * 128 + r) * frames, frames);
        }
        return out;
    }

    /** The top-left h x w of each [n, 1, rows, cols] segment. */
    public static float[] crop(float[] x, int n, int rows, int cols, int h, int w) {
        float[] out = new float[n * h * w];
        for (int s = 0; s < n; s++) for (int r = 0; r < h; r++) System.arraycopy(x, (s * rows + r) * cols, out, (s * h + r) * w, w);
        return out;
    }

    /**
     * A built network whose every parameter and batch-norm statistic is away from its initial value
     * (so folding and biases are really exercised) with activations at a trained network's scale:
     * gamma, beta and biases perturbed, then running statistics calibrated on the normalised inputs.
     */
    public static SpecNetwork perturbed(NetworkSpec spec, NDManager m, long seed, float[] x, double mean, double std) {
        ai.djl.engine.Engine.getInstance().setRandomSeed((int) seed);
        SpecNetwork net = new SpecNetwork(spec);
        int n = x.length / (spec.input()[0] * spec.input()[1] * spec.input()[2]);
        net.initialize(m, DataType.FLOAT32, net.inputShape(n));
        for (Pair<String, Parameter> p : net.getParameters()) {
            NDArray a = p.getValue().getArray();
            switch (p.getValue().getType()) {
                case GAMMA -> a.muli(m.randomUniform(0.5f, 1.5f, a.getShape()));
                case BETA, BIAS -> a.addi(m.randomNormal(0, 0.1f, a.getShape(), DataType.FLOAT32));
                default -> { }
            }
        }
        float[] norm = Arrays.copyOf(x, x.length);
        for (int i = 0; i < norm.length; i++) norm[i] = (float) ((norm[i] - mean) / std);
        ParameterStore ps = new ParameterStore(m, false);
        try (NDManager sub = m.newSubManager()) { // frees each pass's activations
            NDArray in = sub.create(norm, net.inputShape(n));
            for (int i = 0; i < 20; i++) net.forward(ps, new NDList(in), true); // running stats -> batch stats (0.9^20)
        }
        return net;
    }

    public static float[][] djlLogits(SpecNetwork net, NDManager m, float[] x, long[] shape, double mean, double std) {
        return djlLogits(net, m, x, shape, new Normalization(mean, std, false));
    }

    /** The DJL network's logits for dB segments x, normalised as the trainer does. */
    public static float[][] djlLogits(SpecNetwork net, NDManager m, float[] x, long[] shape, Normalization normalization) {
        float[] norm = Arrays.copyOf(x, x.length);
        int per = (int) (shape[1] * shape[2] * shape[3]);
        for (int i = 0; i < shape[0]; i++) normalization.apply(norm, i * per, per);
        try (NDManager sub = m.newSubManager()) {
            float[] y = net.predict(new ParameterStore(sub, false), sub.create(norm, new ai.djl.ndarray.types.Shape(shape))).toFloatArray();
            int n = (int) shape[0], k = y.length / n;
            float[][] out = new float[n][];
            for (int i = 0; i < n; i++) out[i] = Arrays.copyOfRange(y, i * k, (i + 1) * k);
            return out;
        }
    }

    public static boolean hasPythonOnnx() {
        if (!new File("/usr/bin/python3").canExecute()) return false;
        try {
            return new ProcessBuilder("/usr/bin/python3", "-c", "import onnx").start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** onnx.checker (Debian python3-onnx) on each file; skips with a message when it is not installed. */
    public static void checkWithPythonOnnx(java.util.List<java.nio.file.Path> files) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(hasPythonOnnx(), "skipping onnx.checker: /usr/bin/python3 has no onnx (apt-get install python3-onnx)");
        java.nio.file.Path script = java.nio.file.Path.of(TestData.class.getResource("/check_onnx.py").toURI());
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("/usr/bin/python3", script.toString()));
        for (java.nio.file.Path f : files) cmd.add(f.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        org.junit.jupiter.api.Assertions.assertEquals(0, p.waitFor(), out);
    }
}
