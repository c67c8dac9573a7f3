package dev.genre.bench;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.genre.dataset.SegmentDataset;
import dev.genre.dataset.Split;
import dev.genre.deploy.pkg.Exporter;
import dev.genre.deploy.pkg.ModelPackage;
import dev.genre.deploy.quant.ActivationGranularity;
import dev.genre.deploy.quant.AdaRound;
import dev.genre.deploy.quant.Calibration;
import dev.genre.deploy.quant.QdqQuantizer;
import dev.genre.deploy.quant.QuantAwareTuning;
import dev.genre.deploy.quant.QuantSensitivity;
import dev.genre.io.Json;
import dev.genre.run.Progress;
import dev.genre.search.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * int8 against float on the held-out folds of {@code genre bench cv}: every fold's model is exported
 * with the project's quantizer, calibrated and tuned on its training folds only, and scored on its
 * held-out fold. Pools all held-out segments for the agreement, and reports each layer's int8 cost.
 */
public final class Int8CvBenchmark {
    /**
     * @param tuning quantization-aware fine-tuning of each fold's int8 model (null: post-training only, with the sensitivity fix)
     * @param rounding adaptive rounding of the int8 weights (null: nearest)
     * @param granularity also score each fold's model with per-channel activation scales ({@link ActivationGranularity}, analysis only)
     */
    public record Config(Path work, int calibrationSegments, long seed, QuantAwareTuning.Options tuning, AdaRound.Options rounding,
                         boolean granularity) {
        public Config(Path work, int calibrationSegments, long seed, QuantAwareTuning.Options tuning, AdaRound.Options rounding) {
            this(work, calibrationSegments, seed, tuning, rounding, false);
        }
    }

    private final Config cfg;
    private final PrintStream out;
    private final Progress progress;

    public Int8CvBenchmark(Config cfg, PrintStream out, Progress progress) {
        this.cfg = cfg;
        this.out = out;
        this.progress = progress;
    }

    public Map<String, Object> run() throws IOException {
        List<Path> folds = CvWork.foldRuns(cfg.work());
        List<Map<String, Object>> rows = new ArrayList<>();
        double segs = 0, fSeg = 0, qSeg = 0, aSeg = 0, fClip = 0, qClip = 0, agree = 0, allAgree = 0, size = 0, lat = 0;
        Map<String, Double> costByLayer = new TreeMap<>();
        List<ActivationGranularity.Result> granularity = new ArrayList<>();
        out.println("| fold | test segments | float seg acc | int8 seg acc | float clip acc | int8 clip acc | top-1 agreement | all-int8 agreement | float layers | size | latency |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (Path fold : folds) {
            Path pkg = cfg.work().resolve("int8").resolve(fold.getFileName());
            Exporter.QuantReport q = Exporter.export(fold, pkg, new Exporter.Options(true, null, cfg.calibrationSegments(), cfg.seed(), cfg.tuning() == null, cfg.tuning(), cfg.rounding()),
                    progress).quant();
            out.printf("| %s | %d | %.3f | %.3f | %.3f | %.3f | %.4f | %.4f | %s | %.2fx | %.2fx |%n", fold.getFileName(), q.segments(),
                    q.floatSegmentAccuracy(), q.int8SegmentAccuracy(), q.floatClipAccuracy(), q.int8ClipAccuracy(), q.top1Agreement(),
                    q.allInt8Agreement(), q.floatNodes().isEmpty() ? "none" : String.join(" ", q.floatNodes()), q.sizeRatio(), q.latencyRatio());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("fold", fold.getFileName().toString());
            row.put("package", pkg.toAbsolutePath().normalize().toString());
            row.put("report", q);
            if (cfg.granularity()) {
                ActivationGranularity.Result g = granularity(fold, pkg);
                granularity.add(g);
                row.put("granularity", g);
            }
            rows.add(row);
            int n = q.segments();
            segs += n;
            fSeg += n * q.floatSegmentAccuracy();
            qSeg += n * q.int8SegmentAccuracy();
            aSeg += n * q.allInt8SegmentAccuracy();
            agree += n * q.top1Agreement();
            allAgree += n * q.allInt8Agreement();
            fClip += q.floatClipAccuracy();
            qClip += q.int8ClipAccuracy();
            size += q.sizeRatio();
            lat += q.latencyRatio();
            if (q.sensitivity() != null) for (QuantSensitivity.Layer l : q.sensitivity().layers()) costByLayer.merge(l.node(), l.reduction() / folds.size(), Double::sum);
        }
        int k = folds.size();
        Map<String, Object> pooled = new LinkedHashMap<>();
        pooled.put("segments", (int) segs);
        pooled.put("floatSegmentAccuracy", fSeg / segs);
        pooled.put("int8SegmentAccuracy", qSeg / segs);
        pooled.put("allInt8SegmentAccuracy", aSeg / segs);
        pooled.put("floatClipAccuracy", fClip / k);
        pooled.put("int8ClipAccuracy", qClip / k);
        pooled.put("top1Agreement", agree / segs);
        pooled.put("allInt8Top1Agreement", allAgree / segs);
        pooled.put("sizeRatio", size / k);
        pooled.put("latencyRatio", lat / k);
        out.printf("| all | %d | %.3f | %.3f | %.3f | %.3f | %.4f | %.4f | | %.2fx | %.2fx |%n", (int) segs, fSeg / segs, qSeg / segs, fClip / k,
                qClip / k, agree / segs, allAgree / segs, size / k, lat / k);
        if (cfg.granularity()) pooled.put("granularity", printGranularity(folds, granularity));
        List<Map.Entry<String, Double>> costly = costByLayer.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(8).toList();
        out.println();
        out.println("layers whose float copy removes the most of int8's probe divergence from float (mean share over folds):");
        for (var e : costly) out.printf("  %-40s %5.1f%%%n", e.getKey(), 100 * e.getValue());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("format", "genre-bench-int8/1");
        r.put("protocol", "each fold's model from genre bench cv, exported with calibration, method choice and sensitivity on its training"
                + " folds only; scored once on its held-out fold");
        r.put("folds", rows);
        r.put("pooled", pooled);
        r.put("meanLayerReduction", costByLayer);
        return r;
    }

    /** The fold's float export scored with per-tensor and per-channel activation scales, calibrated on the segments the export used. */
    private ActivationGranularity.Result granularity(Path fold, Path pkg) throws IOException {
        Trainer.Setup setup = Json.read(fold.resolve(Trainer.TRAIN_JSON), Trainer.Setup.class);
        Path dataset = Path.of(setup.dataset());
        int frames = setup.config().segmentFrames();
        SegmentDataset train = Exporter.calibrationSegments(setup, dataset); // as the export calibrated, with the same count and seed
        List<float[]> batches = Calibration.batches(train, cfg.calibrationSegments(), cfg.seed());
        long[] item = {1, train.nMels(), frames};
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(pkg.resolve(ModelPackage.FLOAT_MODEL)));
        Calibration c = Calibration.run(model, QdqQuantizer.tensorsToCalibrate(model), batches, item);
        SegmentDataset test = SegmentDataset.load(dataset, Split.TEST, frames, setup.config().evalHop());
        return ActivationGranularity.measure(model, c, batches, item, test, setup.genres());
    }

    private ActivationGranularity.Result printGranularity(List<Path> folds, List<ActivationGranularity.Result> rows) {
        out.println();
        out.println("top-1 agreement with float by activation granularity (weights int8; QDQ reference graphs, MSE ranges, no layer kept float):");
        out.println("| fold | activations float | one scale per tensor | one scale per channel |");
        out.println("|---|---|---|---|");
        int n = 0;
        double w = 0, t = 0, c = 0;
        for (int i = 0; i < rows.size(); i++) {
            ActivationGranularity.Result g = rows.get(i);
            out.printf("| %s | %.4f | %.4f | %.4f |%n", folds.get(i).getFileName(), g.weightsOnly(), g.perTensor(), g.perChannel());
            n += g.segments();
            w += g.segments() * g.weightsOnly();
            t += g.segments() * g.perTensor();
            c += g.segments() * g.perChannel();
        }
        ActivationGranularity.Result all = new ActivationGranularity.Result(n, w / n, t / n, c / n);
        out.printf("| all | %.4f | %.4f | %.4f |%n", all.weightsOnly(), all.perTensor(), all.perChannel());
        return all;
    }
}
