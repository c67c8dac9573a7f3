package dev.genre.deploy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genre.audio.synth.SyntheticDataset;
import dev.genre.deploy.pkg.Exporter;
import dev.genre.deploy.quant.QuantAwareTuning;
import dev.genre.run.Progress;
import dev.genre.search.bench.CvBenchmark;
import dev.genre.search.train.TrainConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmarks that reuse {@code genre bench cv}'s fold models, on a real 3-fold cross-validation of
 * 18 synthetic 5 s clips (1 epoch): {@code bench int8} exports every fold, and {@code bench hop}
 * scores every held-out clip once per hop, with more segments at a shorter hop.
 */
class CvFoldBenchmarksTest {
    private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

    @TempDir
    static Path tmp;
    static Path work;

    @BeforeAll
    static void crossValidate() throws Exception {
        Path clips = tmp.resolve("clips");
        SyntheticDataset.write(clips, new SyntheticDataset.Options(3, 6, 5, 1), Progress.none());
        work = tmp.resolve("cv-work");
        new CvBenchmark(new CvBenchmark.Config(clips, work, 3, TrainConfig.defaults().with(1, 8, 3e-3, 5), 2, null, "/usr/bin/python3"),
                QUIET, Progress.none()).run();
    }

    @Test
    void hopNeedsTheFoldExportsThenScoresEveryHeldOutClipOncePerHop() throws Exception {
        SegmentHopBenchmark.Config cfg = new SegmentHopBenchmark.Config(work, List.of(128, 32), 1);
        IOException missing = assertThrows(IOException.class, () -> new SegmentHopBenchmark(cfg, QUIET).run());
        assertTrue(missing.getMessage().contains("model.onnx") && missing.getMessage().contains("bench int8"), missing.getMessage());

        // With quantization-aware tuning (one epoch), the path bench int8 --qat-epochs takes through the exporter.
        Map<String, Object> q = new Int8CvBenchmark(new Int8CvBenchmark.Config(work, 64, 0, new QuantAwareTuning.Options(1, 1e-4, 0)), QUIET,
                Progress.none()).run();
        for (int f = 1; f <= 3; f++) assertTrue(Files.isRegularFile(work.resolve("int8/fold-" + f + "/model-int8.onnx")), "fold " + f);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> folds = (List<Map<String, Object>>) q.get("folds");
        for (Map<String, Object> fold : folds) {
            Exporter.QuantReport report = (Exporter.QuantReport) fold.get("report");
            assertEquals(1, report.tuning().size(), "one epoch of tuning recorded");
            assertTrue(report.floatNodes().isEmpty() && report.sensitivity() == null, "tuned models are all int8, without the sensitivity search");
        }

        Map<String, Object> r = new SegmentHopBenchmark(cfg, QUIET).run();
        @SuppressWarnings("unchecked")
        List<SegmentHopBenchmark.HopResult> hops = (List<SegmentHopBenchmark.HopResult>) r.get("hops");
        assertEquals(2, hops.size());
        for (SegmentHopBenchmark.HopResult h : hops) {
            assertEquals(3, h.clipAccuracy().size(), "one clip accuracy per fold");
            assertEquals(18, h.clips(), "every clip is held out exactly once");
            for (double a : h.clipAccuracy()) assertTrue(a >= 0 && a <= 1, "accuracy " + a);
        }
        // 5 s clips are ~216 frames: one 128-frame segment at hop 128, three at hop 32.
        assertEquals(18, hops.get(0).segments());
        assertEquals(3 * 18, hops.get(1).segments());
    }
}
