package dev.genre.deploy.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.genre.deploy.TestData;
import dev.genre.search.net.FoldedWeights;
import dev.genre.search.net.SpecNetwork;
import dev.genre.search.spec.NetworkSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Any segment count through fixed batches of 8 (the last one padded) gives each segment's logits as one plain batch does. */
class FixedBatchRunnerTest {
    @Test
    void paddedFixedBatchesGiveEachSegmentsOwnLogits(@TempDir Path dir) throws Exception {
        int n = 19, frames = SpecOnnxWriterTest.FRAMES; // two full batches and a padded one
        float[] x = TestData.segments(n, frames);
        NetworkSpec spec = NetworkSpec.load("mobilenetv3-small").withInput(1, 128, frames).withClasses(10);
        Path f = dir.resolve("m.onnx");
        try (NDManager m = NDManager.newBaseManager()) {
            SpecNetwork net = TestData.perturbed(spec, m, 5, x, SpecOnnxWriterTest.MEAN, SpecOnnxWriterTest.STD);
            Files.write(f, SpecOnnxWriter.write(spec, FoldedWeights.of(net), SpecOnnxWriterTest.MEAN, SpecOnnxWriterTest.STD, Map.of()).toByteArray());
        }
        float[][] want;
        try (OnnxModel plain = new OnnxModel(f, 1)) {
            want = plain.run(x, new long[] {n, 1, 128, frames}, SpecOnnxWriter.LOGITS);
        }
        try (OnnxModel onnx = OnnxModel.forOneShape(f, 1)) {
            FixedBatchRunner runner = new FixedBatchRunner(onnx, 1, 128, frames);
            runner.warmUp(SpecOnnxWriter.LOGITS);
            for (int count : new int[] {n, 3, 8}) {
                float[][] got = runner.run(x, count, SpecOnnxWriter.LOGITS);
                assertEquals(count, got.length);
                double worst = 0, spread = 0;
                for (int i = 0; i < count; i++) {
                    for (int k = 0; k < 10; k++) {
                        worst = Math.max(worst, Math.abs(got[i][k] - want[i][k]));
                        spread = Math.max(spread, Math.abs(want[i][k] - want[0][k]));
                    }
                }
                assertTrue(spread > 1e-3, "segments with logits of their own, so a shifted row would show: " + spread);
                assertTrue(worst <= 1e-5, count + " segments: differ from one plain batch by " + worst);
            }
        }
    }
}
