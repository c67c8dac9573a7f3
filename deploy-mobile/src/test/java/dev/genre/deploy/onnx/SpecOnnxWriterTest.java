package dev.genre.deploy.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl.ModelProto;
import dev.genre.deploy.TestData;
import dev.genre.search.net.FoldedWeights;
import dev.genre.search.net.SpecNetwork;
import dev.genre.search.spec.NetworkSpec;
import dev.genre.search.spec.RandomSpecs;
import dev.genre.search.train.Normalization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX Runtime runs the exported graph and reproduces the DJL (libtorch) logits within 1e-4 on real
 * log-mel segments, for the references and random specs covering every op, kernel, SE, skip and
 * activation; Debian's onnx checker accepts every model.
 */
class SpecOnnxWriterTest {
    static final int FRAMES = 128;
    static final int N = 6;
    static float[] segments;
    static final double MEAN = -38.5, STD = 17.25;

    @BeforeAll
    static void audio() {
        segments = TestData.segments(N, FRAMES);
    }

    static List<NetworkSpec> specs() throws Exception {
        List<NetworkSpec> specs = new ArrayList<>();
        specs.add(NetworkSpec.load("mobilenetv3-small").withInput(1, 128, FRAMES).withClasses(10));
        specs.add(NetworkSpec.load("mobilenetv3-large").withInput(1, 64, 64).withClasses(10));
        specs.add(NetworkSpec.load("mnasnet-b1").withInput(1, 64, 64).withClasses(10));
        for (int t = 0; t < 9; t++) specs.add(RandomSpecs.of(t, 3, new int[] {1, 128, FRAMES}, 8));
        return specs;
    }

    @Test
    void onnxRuntimeReproducesDjlLogits(@TempDir Path dir) throws Exception {
        List<Path> files = new ArrayList<>();
        double worstAll = 0;
        for (NetworkSpec spec : specs()) {
            try (NDManager m = NDManager.newBaseManager()) {
                long[] shape = {N, 1, spec.input()[1], spec.input()[2]};
                float[] x = TestData.crop(segments, N, 128, FRAMES, spec.input()[1], spec.input()[2]);
                SpecNetwork net = TestData.perturbed(spec, m, 5, x, MEAN, STD);
                float[][] want = TestData.djlLogits(net, m, x, shape, MEAN, STD);
                ModelProto model = SpecOnnxWriter.write(spec, FoldedWeights.of(net), MEAN, STD, Map.of("spec", spec.name()));
                Path f = dir.resolve(spec.name() + ".onnx");
                Files.write(f, model.toByteArray());
                files.add(f);
                float[][] got;
                try (OnnxModel ort = new OnnxModel(f, 1)) {
                    got = ort.run(x, shape, SpecOnnxWriter.LOGITS);
                }
                double worst = 0, scale = 0;
                for (int i = 0; i < N; i++) {
                    assertEquals(spec.classes(), got[i].length);
                    for (int k = 0; k < spec.classes(); k++) {
                        worst = Math.max(worst, Math.abs(got[i][k] - want[i][k]));
                        scale = Math.max(scale, Math.abs(want[i][k]));
                    }
                }
                System.out.printf("%-20s max |logit| %8.3f  max |onnx - djl| %.2e%n", spec.name(), scale, worst);
                assertTrue(scale > 0.05, spec.name() + ": logits too small to test anything");
                assertTrue(worst <= 1e-4, spec.name() + ": ONNX Runtime differs from DJL by " + worst);
                worstAll = Math.max(worstAll, worst);
            }
        }
        System.out.printf("worst over all specs %.2e%n", worstAll);
        TestData.checkWithPythonOnnx(files);
    }
    @Test
    void aPerSegmentLevelIsWrittenIntoTheGraphAndMakesTheModelDeafToGain(@TempDir Path dir) throws Exception {
        assertLevelInGraph(new Normalization(0, STD, true), dir.resolve("level.onnx"));
    }

    @Test
    void perBandStandardisationIsWrittenIntoTheGraph(@TempDir Path dir) throws Exception {
        double[] bandMean = new double[128], bandStd = new double[128];
        for (int b = 0; b < 128; b++) { // a spectral tilt, and spreads that differ 4x across the bands
            bandMean[b] = 20 - 0.3 * b;
            bandStd[b] = STD * (0.5 + 1.5 * b / 127.0);
        }
        assertLevelInGraph(new Normalization(0, 1, true, bandMean, bandStd), dir.resolve("bands.onnx"));
    }

    private void assertLevelInGraph(Normalization level, Path f) throws Exception {
        NetworkSpec spec = NetworkSpec.load("mobilenetv3-small").withInput(1, 128, FRAMES).withClasses(10);
        long[] shape = {N, 1, 128, FRAMES};
        try (NDManager m = NDManager.newBaseManager()) {
            SpecNetwork net = TestData.perturbed(spec, m, 7, segments, MEAN, STD);
            float[][] want = TestData.djlLogits(net, m, segments, shape, level);
            ModelProto model = SpecOnnxWriter.write(spec, FoldedWeights.of(net), level, Map.of());
            float[] louder = segments.clone();
            for (int i = 0; i < louder.length; i++) louder[i] += 9;
            float[][] got, gotLouder;
            try (OnnxModel ort = new OnnxModel(model.toByteArray(), 1)) {
                got = ort.run(segments, shape, SpecOnnxWriter.LOGITS);
                gotLouder = ort.run(louder, shape, SpecOnnxWriter.LOGITS);
            }
            double worst = 0, gain = 0, scale = 0;
            for (int i = 0; i < N; i++) {
                for (int k = 0; k < 10; k++) {
                    worst = Math.max(worst, Math.abs(got[i][k] - want[i][k]));
                    gain = Math.max(gain, Math.abs(gotLouder[i][k] - got[i][k]));
                    scale = Math.max(scale, Math.abs(want[i][k]));
                }
            }
            assertTrue(scale > 0.05, "logits too small to test anything: " + scale);
            assertTrue(worst <= 1e-4, "ONNX Runtime differs from DJL by " + worst);
            assertTrue(gain <= 1e-4, "9 dB louder changes the logits by " + gain);
            // The level is one float per segment: the quantizer leaves it alone.
            assertTrue(dev.genre.deploy.quant.QdqQuantizer.tensorsToCalibrate(model).stream().noneMatch(t -> t.equals(SpecOnnxWriter.NORMALIZE_LEVEL)));
            Files.write(f, model.toByteArray());
            TestData.checkWithPythonOnnx(List.of(f));
        }
    }
}
