package dev.genre.deploy.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import dev.genre.deploy.TestData;
import dev.genre.deploy.onnx.OnnxGraph;
import dev.genre.deploy.onnx.OnnxModel;
import dev.genre.deploy.onnx.SpecOnnxWriter;
import dev.genre.search.net.FoldedWeights;
import dev.genre.search.net.SpecNetwork;
import dev.genre.search.spec.NetworkSpec;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped int8 models compute the same on an x86 CPU without VNNI as on this one. Such a CPU is
 * emulated: qemu-user with a Haswell model (AVX2, no AVX-512, no VNNI) runs a child JVM, and ONNX
 * Runtime there picks its AVX2 U8S8 kernels, whose VPMADDUBSW adds pairs of uint8 x int8 products
 * into a saturating int16. So the test holds on every machine CI meets, whatever its own CPU.
 *
 * <p>A canary shows the emulated CPU really is the saturating kind: one convolution whose weights sit
 * on the full 8-bit grid (levels up to 127) and whose inputs are at the top of their uint8 range
 * computes something else there than here, while the same weights on the shipped 7-bit grid compute
 * the same. Without the canary a qemu that ran VNNI kernels would let the main check pass vacuously.
 */
class Int8PortabilityTest {
    static final String CPU = "Haswell-noTSX";
    static final int C_IN = 16, C_OUT = 8, H = 6, N = 4;

    @TempDir
    Path dir;

    @Test
    void int8ModelsComputeTheSameOnAnEmulatedCpuWithoutVnni() throws Exception {
        Path qemu = onPath("qemu-x86_64");
        assumeTrue(qemu != null, "qemu-x86_64 not installed (apt-get install qemu-user): int8 on a CPU without VNNI is not checked");

        // 0, 1: the canary, at the full 8-bit grid and at the shipped grid; 2: MobileNetV3-Small as the exporter quantizes it.
        float[] cx = new float[N * C_IN * H * H];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < cx.length; i++) cx[i] = (float) (1.8 + 0.2 * r.nextDouble()); // near the top of [0, 2]: uint8 levels ~230-255
        ModelProto conv = positiveConv();
        Map<String, float[]> cr = new HashMap<>(Calibration.run(conv, QdqQuantizer.tensorsToCalibrate(conv), List.of(cx), new long[] {C_IN, H, H})
                .ranges(Calibration.Method.MINMAX));
        cr.put(SpecOnnxWriter.INPUT, new float[] {0, 2});
        ModelProto shipped = QdqQuantizer.quantize(conv, cr, Set.of());
        ModelProto fullGrid = onFullGrid(shipped, "conv.weight", "conv.bias");
        long[] cShape = {N, C_IN, H, H};
        String cOut = conv.getGraph().getOutput(0).getName();

        NetworkSpec spec = NetworkSpec.load("mobilenetv3-small").withInput(1, 128, 128).withClasses(10);
        float[] mx = TestData.segments(N, 128);
        long[] mShape = {N, 1, 128, 128};
        ModelProto mnv3;
        try (NDManager m = NDManager.newBaseManager()) {
            SpecNetwork net = TestData.perturbed(spec, m, 7, mx, Int8SimulationTest.MEAN, Int8SimulationTest.STD);
            ModelProto model = SpecOnnxWriter.write(spec, FoldedWeights.of(net), Int8SimulationTest.MEAN, Int8SimulationTest.STD, Map.of());
            Calibration cal = Calibration.run(model, QdqQuantizer.tensorsToCalibrate(model), List.of(mx), new long[] {1, 128, 128});
            mnv3 = QdqQuantizer.quantize(model, cal.ranges(Calibration.Method.MINMAX), Set.of(), cal.channelMeans());
        }

        List<float[][]> here = new ArrayList<>();
        OnnxRunMain.writeJob(dir, 0, fullGrid.toByteArray(), cOut, cShape, cx);
        OnnxRunMain.writeJob(dir, 1, shipped.toByteArray(), cOut, cShape, cx);
        OnnxRunMain.writeJob(dir, 2, mnv3.toByteArray(), SpecOnnxWriter.LOGITS, mShape, mx);
        here.add(run(fullGrid, cx, cShape, cOut));
        here.add(run(shipped, cx, cShape, cOut));
        here.add(run(mnv3, mx, mShape, SpecOnnxWriter.LOGITS));
        float[][] floatConv = run(conv, cx, cShape, cOut);

        emulate(qemu);
        List<float[][]> there = new ArrayList<>();
        for (int k = 0; k < 3; k++) there.add(OnnxRunMain.read(dir.resolve(k + ".out")));

        double canary = Int8SimulationTest.maxDiff(there.get(0), here.get(0)), canaryHere = Int8SimulationTest.maxDiff(here.get(0), floatConv);
        double shippedConv = Int8SimulationTest.maxDiff(there.get(1), here.get(1));
        double mnv3Diff = Int8SimulationTest.maxDiff(there.get(2), here.get(2));
        System.out.printf("canary 8-bit grid: |emulated - here| %.4f (|here - float| %.4f); 7-bit grid: %.6f; mobilenetv3-small int8 logits: %.6f%n",
                canary, canaryHere, shippedConv, mnv3Diff);
        // Here the 8-bit canary is int8-accurate; there its pair sums (2 x ~240 x ~120) saturate at 32,767.
        assertTrue(canary > 10 * canaryHere + 0.05, "the emulated CPU does not saturate 8-bit weights: " + canary + " vs " + canaryHere
                + " (is it really running ONNX Runtime's AVX2 U8S8 kernels?)");
        assertEquals(0, shippedConv, 1e-4, "the shipped 7-bit grid computes the same there");
        // Integer sums are exact on both; only the float requantization may differ in the last bit.
        assertEquals(0, mnv3Diff, 1e-3, "MobileNetV3-Small's int8 logits on a CPU without VNNI");
    }

    /** One 3x3 convolution with positive weights (0.05-0.1), then the spatial mean of each channel. */
    static ModelProto positiveConv() {
        OnnxGraph g = new OnnxGraph("canary");
        String x = g.input(SpecOnnxWriter.INPUT, C_IN, H, H);
        SplittableRandom r = new SplittableRandom(3);
        float[] w = new float[C_OUT * C_IN * 9];
        for (int i = 0; i < w.length; i++) w[i] = (float) (0.05 + 0.05 * r.nextDouble());
        String y = g.node("Conv", "conv", List.of(x, g.floats("conv.weight", new long[] {C_OUT, C_IN, 3, 3}, w),
                g.floats("conv.bias", new long[] {C_OUT}, new float[C_OUT])), OnnxGraph.Attr.ints("kernel_shape", 3, 3),
                OnnxGraph.Attr.ints("pads", 1, 1, 1, 1));
        String out = g.node("Flatten", "flatten", List.of(g.node("GlobalAveragePool", "pool", List.of(y))));
        g.output(out, C_OUT);
        return g.build(Map.of());
    }

    /** The quantized model with {@code weight} re-rounded to levels -127..127 (and its bias scale to match): what 8-bit weights would ship. */
    static ModelProto onFullGrid(ModelProto q, String weight, String bias) {
        Map<String, TensorProto> init = new HashMap<>();
        for (TensorProto t : q.getGraph().getInitializerList()) init.put(t.getName(), t);
        float[] scales = QdqQuantizer.floats(init.get(weight + "_scale"));
        byte[] levels = init.get(weight + "_q").getRawData().toByteArray();
        int per = levels.length / scales.length;
        float factor = (float) QdqQuantizer.MAX_LEVEL / 127;
        float[] newScales = new float[scales.length], biasScales = QdqQuantizer.floats(init.get(bias + "_scale"));
        byte[] newLevels = new byte[levels.length];
        for (int c = 0; c < scales.length; c++) {
            newScales[c] = scales[c] * factor;
            biasScales[c] *= factor;
            for (int i = 0; i < per; i++) newLevels[c * per + i] = (byte) Math.max(-127, Math.min(127, Math.round(levels[c * per + i] / factor)));
        }
        var g = q.getGraph().toBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            String n = g.getInitializer(i).getName();
            if (n.equals(weight + "_q")) g.setInitializer(i, g.getInitializer(i).toBuilder().setRawData(ByteString.copyFrom(newLevels)));
            if (n.equals(weight + "_scale")) g.setInitializer(i, g.getInitializer(i).toBuilder().setRawData(ByteString.copyFrom(bytes(newScales))));
            if (n.equals(bias + "_scale")) g.setInitializer(i, g.getInitializer(i).toBuilder().setRawData(ByteString.copyFrom(bytes(biasScales))));
        }
        return q.toBuilder().setGraph(g).build();
    }

    private void emulate(Path qemu) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        List<String> cmd = List.of(qemu.toString(), "-cpu", CPU, java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                OnnxRunMain.class.getName(), dir.toString());
        Path log = dir.resolve("child.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(10, TimeUnit.MINUTES);
        if (!done) p.destroyForcibly();
        String tail = Files.readAllLines(log).stream().filter(l -> !l.contains("TCG doesn't support")).reduce("", (a, b) -> a + "\n" + b);
        assertTrue(done && p.exitValue() == 0, "the emulated run failed:" + tail);
    }

    static float[][] run(ModelProto model, float[] x, long[] shape, String output) throws IOException {
        try (OnnxModel o = new OnnxModel(model.toByteArray(), 1)) {
            return o.run(x, shape, output);
        }
    }

    static Path onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    private static byte[] bytes(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }
}
