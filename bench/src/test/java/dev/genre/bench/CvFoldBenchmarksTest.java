package dev.genre.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genre.audio.synth.SyntheticDataset;
import dev.genre.deploy.pkg.Exporter;
import dev.genre.deploy.quant.ActivationGranularity;
import dev.genre.deploy.quant.AdaRound;
import dev.genre.deploy.quant.QuantAwareTuning;
import dev.genre.io.Json;
import dev.genre.run.Progress;
import dev.genre.search.train.TrainConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmarks that reuse {@code genre bench cv}'s fold models, on a real 3-fold cross-validation of
 * 18 synthetic 5 s clips (1 epoch): {@code bench int8} exports every fold, and {@code bench hop}
 * scores every held-out clip once per hop, with more segments at a shorter hop; {@code bench ensemble}
 * scores a second run on the same folds (another training seed) alone and averaged with the first.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // hop first: it checks that bench int8 has not run yet
class CvFoldBenchmarksTest {
    private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

    @TempDir
    static Path tmp;
    static Path clips;
    static Path work;
    static Map<String, Object> cv;

    @BeforeAll
    static void crossValidate() throws Exception {
        clips = tmp.resolve("clips");
        SyntheticDataset.write(clips, new SyntheticDataset.Options(3, 6, 5, 1), Progress.none());
        work = tmp.resolve("cv-work");
        cv = new CvBenchmark(new CvBenchmark.Config(clips, work, 3, TrainConfig.defaults().with(1, 8, 3e-3, 5), 2, null, "/usr/bin/python3"),
                QUIET, Progress.none()).run();
    }

    @Test
    @Order(2)
    void ensembleScoresEachMemberAsItsCrossValidationDidAndTheirAverage() throws Exception {
        // The second member: same folds (fold seed 5), another training seed.
        Path work2 = tmp.resolve("cv-seed6-work");
        Map<String, Object> cv2 = new CvBenchmark(new CvBenchmark.Config(clips, work2, 3, TrainConfig.defaults().with(1, 8, 3e-3, 6), 2, null,
                "/usr/bin/python3", CvBenchmark.ARCH, 5L), QUIET, Progress.none()).run();
        assertEquals(5L, cv2.get("seed"), "fold seed");
        assertEquals(6L, cv2.get("trainingSeed"));

        Map<String, Object> r = new EnsembleCvBenchmark(new EnsembleCvBenchmark.Config(List.of(work, work2), 1), QUIET, Progress.none()).run();
        @SuppressWarnings("unchecked")
        List<EnsembleCvBenchmark.Row> rows = (List<EnsembleCvBenchmark.Row>) r.get("rows");
        assertEquals(List.of("member 1 (cv-work)", "member 2 (cv-seed6-work)", "ensemble of 2"), rows.stream().map(EnsembleCvBenchmark.Row::model).toList());
        assertEquals(List.of(5L, 6L), rows.get(2).trainingSeeds());
        List<Map<String, Object>> sides = List.of(cv, cv2);
        for (int i = 0; i < 2; i++) {
            // Through the float ONNX export, each member scores its folds as bench cv's DJL evaluation did (a 1-epoch model may
            // have near-ties, so one clip of 6 may fall the other way).
            List<Double> cvClip = clipAccuracies(sides.get(i));
            for (int f = 0; f < 3; f++) {
                assertEquals(cvClip.get(f), rows.get(i).clipAccuracy().get(f), 1.0 / 6 + 1e-9, "member " + (i + 1) + " fold " + (f + 1));
            }
            for (int f = 1; f <= 3; f++) assertTrue(Files.isRegularFile(List.of(work, work2).get(i).resolve("float/fold-" + f + "/model.onnx")));
        }
        for (double a : rows.get(2).clipAccuracy()) assertTrue(a >= 0 && a <= 1, "accuracy " + a);

        // A member on other folds would score clips it trained on: refused, naming its folds file.
        Path other = tmp.resolve("other-folds");
        Files.createDirectories(other);
        String folds = Files.readString(work2.resolve(CvBenchmark.FOLDS_FILE));
        int at = folds.indexOf("\"fold\" : ") + "\"fold\" : ".length();
        char moved = folds.charAt(at) == '1' ? '2' : '1';
        Files.writeString(other.resolve(CvBenchmark.FOLDS_FILE), folds.substring(0, at) + moved + folds.substring(at + 1));
        IOException e = assertThrows(IOException.class, () -> EnsembleCvBenchmark.sameFolds(List.of(work, other)));
        assertTrue(e.getMessage().contains(other.resolve(CvBenchmark.FOLDS_FILE).toString()) && e.getMessage().contains("--fold-seed"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new EnsembleCvBenchmark(new EnsembleCvBenchmark.Config(List.of(work), 1), QUIET, Progress.none()));

        // int8: every member needs bench int8's exports (the first has them from the hop test); then each member's int8 row is
        // what bench int8 measured on the same held-out segments.
        EnsembleCvBenchmark.Config withInt8 = new EnsembleCvBenchmark.Config(List.of(work, work2), 1, true);
        IOException noInt8 = assertThrows(IOException.class, () -> new EnsembleCvBenchmark(withInt8, QUIET, Progress.none()).run());
        assertTrue(noInt8.getMessage().contains(work2.resolve("int8").toString()) && noInt8.getMessage().contains("bench int8"), noInt8.getMessage());
        Map<String, Object> q2 = new Int8CvBenchmark(new Int8CvBenchmark.Config(work2, 64, 0, null, new AdaRound.Options(20, 8, 0.01, 1e-2, 0), true), QUIET,
                Progress.none()).run();
        @SuppressWarnings("unchecked")
        List<EnsembleCvBenchmark.Row> qRows = (List<EnsembleCvBenchmark.Row>) new EnsembleCvBenchmark(withInt8, QUIET, Progress.none()).run().get("rows");
        @SuppressWarnings("unchecked")
        Map<String, Object> pooled = (Map<String, Object>) q2.get("pooled");
        int segments = (Integer) pooled.get("segments");
        assertEquals((Double) pooled.get("top1Agreement"), qRows.get(1).int8().segmentAgreement(), 1.0 / segments + 1e-9);
        assertEquals((Double) pooled.get("int8SegmentAccuracy"), qRows.get(1).int8().pooledSegmentAccuracy(), 1.0 / segments + 1e-9);
        // That bench int8 ran with adaptive rounding: every int8 weight layer was rounded and reported.
        var adaptive = Json.MAPPER.readTree(work2.resolve("int8/fold-1/quantization.json").toFile()).get("adaptiveRounding");
        assertTrue(adaptive != null && adaptive.size() > 10, "adaptive rounding reported per layer: " + adaptive);
        for (var layer : adaptive) assertTrue(layer.get("nearestError").asDouble() > 0 && layer.get("flipped").asDouble() < 0.5, layer.toString());
        // --granularity: every fold's model scored with per-tensor and per-channel activation scales on its held-out segments.
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> int8Folds = (List<Map<String, Object>>) q2.get("folds");
        int scored = 0;
        for (Map<String, Object> fold : int8Folds) {
            ActivationGranularity.Result g = (ActivationGranularity.Result) fold.get("granularity");
            assertEquals(((Exporter.QuantReport) fold.get("report")).segments(), g.segments(), "the held-out segments bench int8 scored");
            for (double a : new double[] {g.weightsOnly(), g.perTensor(), g.perChannel()}) assertTrue(a >= 0 && a <= 1, g.toString());
            scored += g.segments();
        }
        assertEquals(segments, scored);
        assertTrue(((ActivationGranularity.Result) pooled.get("granularity")).segments() == segments, "pooled over the folds");
        for (EnsembleCvBenchmark.Row row : qRows) {
            assertEquals(row.clipMean(), rows.get(qRows.indexOf(row)).clipMean(), 1e-12, "float scores unchanged by --int8");
            assertTrue(row.int8().clipAgreement() >= 0 && row.int8().clipAgreement() <= 1);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Double> clipAccuracies(Map<String, Object> cvResult) {
        Map<String, Object> side = (Map<String, Object>) cvResult.get("djl");
        return ((List<dev.genre.search.cv.FoldResult>) side.get("folds")).stream().map(dev.genre.search.cv.FoldResult::clipAccuracy).toList();
    }

    @Test
    @Order(0)
    void hopExportsEachFoldOnceAndScoresEveryHeldOutClipOncePerHop() throws Exception {
        SegmentHopBenchmark.Config cfg = new SegmentHopBenchmark.Config(work, List.of(128, 32), 1);
        Map<String, Object> r = new SegmentHopBenchmark(cfg, QUIET, Progress.none()).run();
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

        // A second run reuses the exports (not rewritten) and scores the same.
        Path export = work.resolve("float/fold-1/model.onnx");
        assertTrue(Files.isRegularFile(export), "float export of fold 1");
        java.nio.file.attribute.FileTime written = Files.getLastModifiedTime(export);
        @SuppressWarnings("unchecked")
        List<SegmentHopBenchmark.HopResult> again = (List<SegmentHopBenchmark.HopResult>) new SegmentHopBenchmark(cfg, QUIET, Progress.none()).run().get("hops");
        assertEquals(written, Files.getLastModifiedTime(export));
        for (int i = 0; i < hops.size(); i++) assertEquals(hops.get(i).clipAccuracy(), again.get(i).clipAccuracy());
    }

    @Test
    @Order(1)
    void quantizationAwareTuningRecordsItsEpochAndSkipsTheSensitivity() throws Exception {
        // With quantization-aware tuning (one epoch), the path bench int8 --qat-epochs takes through the exporter.
        Map<String, Object> q = new Int8CvBenchmark(new Int8CvBenchmark.Config(work, 64, 0, new QuantAwareTuning.Options(1, 1e-4, 0), null), QUIET,
                Progress.none()).run();
        for (int f = 1; f <= 3; f++) assertTrue(Files.isRegularFile(work.resolve("int8/fold-" + f + "/model-int8.onnx")), "fold " + f);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> folds = (List<Map<String, Object>>) q.get("folds");
        for (Map<String, Object> fold : folds) {
            Exporter.QuantReport report = (Exporter.QuantReport) fold.get("report");
            assertEquals(1, report.tuning().size(), "one epoch of tuning recorded");
            // A fold has no validation split: the range method is chosen on blends of its training segments.
            assertEquals("train-mixup", report.probe());
            assertEquals(java.util.Arrays.stream(dev.genre.deploy.quant.Calibration.Method.values()).map(m -> m.name().toLowerCase()).toList(),
                    List.copyOf(report.probeAgreementByMethod().keySet()), "every range method scored on the probe");
            assertTrue(report.floatNodes().isEmpty() && report.sensitivity() == null, "tuned models are all int8, without the sensitivity search");
        }
    }
}
