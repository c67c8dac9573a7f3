package dev.genre.bench;

import dev.genre.dataset.SegmentDataset;
import dev.genre.dataset.Split;
import dev.genre.deploy.onnx.OnnxEvaluation;
import dev.genre.deploy.onnx.OnnxModel;
import dev.genre.io.Json;
import dev.genre.run.Progress;
import dev.genre.search.cv.CvSummary;
import dev.genre.search.train.Evaluation;
import dev.genre.search.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How much a clip's prediction gains from averaging more, overlapping segments: every fold model of
 * {@code genre bench cv} (its float ONNX export, made on first use) classifies its held-out fold
 * with segments every {@code hop} frames, for each hop. Evaluation only: the models are not retrained,
 * and nothing is chosen on the held-out folds except what this table reports.
 */
public final class SegmentHopBenchmark {
    public record Config(Path work, List<Integer> hops, int threads) {}

    /** One hop over all folds: clip accuracy per fold, pooled segment accuracy, clips, segments and seconds. */
    public record HopResult(int hop, List<Double> clipAccuracy, double clipMean, double clipStd, double segmentAccuracy, int clips,
                            int segments, double seconds) {}

    private final Config cfg;
    private final PrintStream out;
    private final Progress progress;

    public SegmentHopBenchmark(Config cfg, PrintStream out, Progress progress) {
        this.cfg = cfg;
        this.out = out;
        this.progress = progress;
    }

    public Map<String, Object> run() throws IOException {
        List<Path> folds = CvWork.foldRuns(cfg.work());
        List<Path> models = new ArrayList<>();
        for (Path f : folds) models.add(CvWork.floatModel(cfg.work(), f, progress));
        List<HopResult> results = new ArrayList<>();
        out.println("| hop (frames) | segments per 30 s clip | clip acc per fold | clip acc mean ± std | segment acc (pooled) | seconds |");
        out.println("|---|---|---|---|---|---|");
        for (int hop : cfg.hops()) {
            List<Double> clip = new ArrayList<>();
            int segments = 0, correct = 0, clips = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < folds.size(); i++) {
                Path f = folds.get(i);
                Trainer.Setup setup = Json.read(f.resolve(Trainer.TRAIN_JSON), Trainer.Setup.class);
                SegmentDataset test = SegmentDataset.load(Path.of(setup.dataset()), Split.TEST, setup.config().segmentFrames(), hop);
                try (OnnxModel model = new OnnxModel(models.get(i), cfg.threads())) {
                    Evaluation e = OnnxEvaluation.of(model, test, setup.genres()).evaluation();
                    clip.add(e.clipAccuracy());
                    segments += test.size();
                    correct += (int) Math.round(e.segmentAccuracy() * test.size());
                    clips += e.clips();
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            CvSummary.MeanStd m = CvSummary.MeanStd.of(clip.stream().mapToDouble(Double::doubleValue).toArray());
            HopResult r = new HopResult(hop, clip, m.mean(), m.std(), (double) correct / segments, clips, segments, seconds);
            results.add(r);
            out.printf("| %d | %.1f | %s | %.3f ± %.3f | %.3f | %.1f |%n", hop, (double) segments / clips,
                    String.join(" / ", clip.stream().map(c -> String.format("%.2f", c)).toList()), r.clipMean(), r.clipStd(), r.segmentAccuracy(), seconds);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("format", "genre-bench-segment-hop/1");
        r.put("protocol", "each fold model of genre bench cv (float ONNX export) on its held-out fold, segments every hop frames, "
                + "clip prediction = mean of its segments' probabilities");
        r.put("work", cfg.work().toAbsolutePath().normalize().toString());
        r.put("threads", cfg.threads());
        r.put("hops", results);
        return r;
    }
}
