package dev.genre.deploy.pkg;

import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl.ModelProto;
import dev.genre.dataset.Manifest;
import dev.genre.dataset.SegmentDataset;
import dev.genre.dataset.Split;
import dev.genre.io.AtomicFiles;
import dev.genre.io.Json;
import dev.genre.run.Progress;
import dev.genre.deploy.latency.LatencyStats;
import dev.genre.deploy.latency.LocalLatency;
import dev.genre.deploy.onnx.OnnxEvaluation;
import dev.genre.deploy.onnx.OnnxModel;
import dev.genre.deploy.onnx.SpecOnnxWriter;
import dev.genre.deploy.quant.AdaRound;
import dev.genre.deploy.quant.Calibration;
import dev.genre.deploy.quant.ProbeSegments;
import dev.genre.deploy.quant.Int8Scheme;
import dev.genre.deploy.quant.QdqQuantizer;
import dev.genre.deploy.quant.QuantAwareTuning;
import dev.genre.deploy.quant.QuantSensitivity;
import dev.genre.deploy.quant.WeightRounding;
import dev.genre.search.net.FoldedWeights;
import dev.genre.search.train.Evaluation;
import dev.genre.search.train.TrainedModel;
import dev.genre.search.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a training run into a model package: float ONNX from the spec (checked against DJL on real
 * segments), optionally the int8 QDQ model calibrated on training segments, with a report of what
 * quantization costs. The package is assembled in a temporary folder and renamed into place, so a
 * reader never sees half a package.
 */
public final class Exporter {
    /**
     * @param sensitivity measure every layer's int8 cost on the probe split and keep the costliest float (about 50 int8 evaluations of the probe)
     * @param tuning      quantization-aware fine-tuning of the int8 model against the float one (null: post-training quantization only)
     * @param rounding    adaptive rounding of the int8 weights on the calibration segments (null: nearest)
     */
    public record Options(boolean int8, Path calibration, int calibrationSegments, long seed, boolean sensitivity, QuantAwareTuning.Options tuning,
                          AdaRound.Options rounding) {
        public Options(boolean int8, Path calibration, int calibrationSegments, long seed, boolean sensitivity) {
            this(int8, calibration, calibrationSegments, seed, sensitivity, null, null);
        }

        public Options(boolean int8, Path calibration, int calibrationSegments, long seed) {
            this(int8, calibration, calibrationSegments, seed, false);
        }

        public static Options defaults() {
            return new Options(false, null, 256, 0);
        }
    }

    /** Held-out-like blends of training segments that judge quantization choices when the dataset has no validation split. */
    static final int MIXUP_PROBE_SEGMENTS = 800;

    /**
     * int8 against float on one split: accuracies, top-1 agreement, size and latency ratios; and the
     * probe the calibration method and float layers were chosen on ({@code valid} or {@code train-mixup}).
     */
    public record QuantReport(Int8Scheme scheme, String method, String split, double floatSegmentAccuracy, double int8SegmentAccuracy,
                              double floatClipAccuracy, double int8ClipAccuracy, double top1Agreement, int segments,
                              String probe, Map<String, Double> probeAgreementByMethod, long floatBytes, long int8Bytes, double sizeRatio,
                              double floatLatencyMs, double int8LatencyMs, double latencyRatio, List<String> floatNodes,
                              double allInt8SegmentAccuracy, double allInt8Agreement, QuantSensitivity.Result sensitivity,
                              List<QuantAwareTuning.Epoch> tuning, List<AdaRound.Layer> adaptiveRounding) {}

    public record Report(Path dir, double maxLogitDiff, int checkedSegments, QuantReport quant) {}

    private Exporter() {}

    public static Report export(Path trained, Path out, Options o, Progress progress) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path stage = Files.createTempDirectory(parent, out.getFileName() + AtomicFiles.TMP_MARKER);
        try {
            Files.setPosixFilePermissions(stage, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")); // temp dirs are 700
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep the default
        }
        try {
            Report r = build(trained, stage, o, progress);
            AtomicFiles.replaceDirectory(stage, out);
            return new Report(out, r.maxLogitDiff(), r.checkedSegments(), r.quant());
        } finally {
            AtomicFiles.deleteTree(stage);
        }
    }

    private static Report build(Path trained, Path dir, Options o, Progress progress) throws IOException {
        Trainer.Setup setup;
        ModelProto model;
        ExportCheck.Difference diff;
        int checked;
        Path dataset;
        Map<String, String> meta = new LinkedHashMap<>();
        try (NDManager m = NDManager.newBaseManager()) {
            TrainedModel tm = TrainedModel.load(trained, m);
            setup = tm.setup();
            dataset = Path.of(setup.dataset());
            meta.put("genre.labels", String.join(",", setup.genres()));
            meta.put("genre.spec", Json.MAPPER.writeValueAsString(setup.spec()));
            model = SpecOnnxWriter.write(setup.spec(), FoldedWeights.of(tm.net()), setup.normalization(), meta);
            // The export must compute what the trained network computes: compare on real segments.
            SegmentDataset check = SegmentDataset.load(dataset, Split.TEST, setup.config().segmentFrames(), setup.config().evalHop());
            checked = Math.min(32, check.size());
            diff = ExportCheck.maxLogitDifference(tm, model, check, checked, m);
        }
        if (!diff.ok()) {
            throw new IOException(String.format("%s: exported ONNX differs from the DJL model by %.3g (logits up to %.3g; expected < %.3g)",
                    trained, diff.maxAbs(), diff.logitScale(), diff.tolerance()));
        }
        Manifest manifest = Manifest.read(dataset);
        AtomicFiles.write(dir.resolve(ModelPackage.FLOAT_MODEL), model.toByteArray());
        Json.write(dir.resolve(ModelPackage.SPEC), setup.spec());
        Json.write(dir.resolve(ModelPackage.LABELS), setup.genres());
        Json.write(dir.resolve(ModelPackage.MEL), new MelConfig(MelConfig.FORMAT, manifest.mel(), setup.config().segmentFrames(),
                setup.config().evalHop(), SpecOnnxWriter.INPUT, List.of(SpecOnnxWriter.LOGITS, SpecOnnxWriter.PROBABILITIES),
                "input: log-mel in dB [batch, 1, n_mels, segmentFrames]; training normalisation is inside the graph"));
        if (Files.isRegularFile(trained.resolve(Trainer.METRICS))) Files.copy(trained.resolve(Trainer.METRICS), dir.resolve(ModelPackage.METRICS));
        QuantReport quant = o.int8() ? quantize(trained, model, meta, setup, o.calibration() == null ? dataset : o.calibration(), dataset, o, dir,
                progress) : null;
        return new Report(dir, diff.maxAbs(), checked, quant);
    }

    /**
     * The segments an export draws its calibration from: the dataset's training split at the run's
     * training hop. Benchmarks that re-quantize an export read them here, to calibrate as it did.
     */
    public static SegmentDataset calibrationSegments(Trainer.Setup setup, Path dataset) throws IOException {
        return SegmentDataset.load(dataset, Split.TRAIN, setup.config().segmentFrames(), setup.config().trainHop());
    }

    private static QuantReport quantize(Path trained, ModelProto model, Map<String, String> meta, Trainer.Setup setup, Path calibrationData,
                                        Path dataset, Options o, Path dir, Progress progress) throws IOException {
        int frames = setup.config().segmentFrames();
        SegmentDataset cal = calibrationSegments(setup, calibrationData);
        int mels = cal.nMels(), n = Math.min(o.calibrationSegments(), cal.size());
        List<float[]> batches = Calibration.batches(cal, n, o.seed());
        progress.start("calibrating on " + n + " segments", 1);
        Calibration c = Calibration.run(model, QdqQuantizer.tensorsToCalibrate(model), batches, mels, frames);
        progress.finish();
        // Choices are made on the validation split, or, in a dataset without one (a cross-validation
        // fold), on blends of training segments (held-out-like, see ProbeSegments): never on the
        // test split that is reported.
        SegmentDataset valid = SegmentDataset.load(dataset, Split.VALID, frames, setup.config().evalHop());
        ProbeSegments probe;
        String probeSplit;
        if (valid.size() > 0) {
            probe = ProbeSegments.of(valid);
            probeSplit = "valid";
        } else {
            SegmentDataset train = SegmentDataset.load(dataset, Split.TRAIN, frames, frames);
            probe = ProbeSegments.mixup(train, Math.min(MIXUP_PROBE_SEGMENTS, 2 * train.size()), o.seed());
            probeSplit = "train-mixup";
        }
        SegmentDataset test = SegmentDataset.load(dataset, Split.TEST, frames, setup.config().evalHop());
        List<String> genres = setup.genres();
        byte[] floatBytes = model.toByteArray();
        float[][] floatValid, floatTestProbs;
        Evaluation floatTest;
        try (OnnxModel f = new OnnxModel(floatBytes, 1)) {
            floatValid = probe.probabilities(f);
            OnnxEvaluation ft = OnnxEvaluation.of(f, test, genres);
            floatTest = ft.evaluation();
            floatTestProbs = ft.probabilities();
        }
        // Weight levels (adaptive rounding, or nearest) and the bias correction's input means.
        WeightRounding rounding = WeightRounding.nearest(c.channelMeans());
        AdaRound.Result adaptive = null;
        if (o.rounding() != null && o.tuning() == null) {
            adaptive = AdaRound.levels(model, batches, new long[] {1, mels, frames}, Set.of(), o.rounding(), progress);
            rounding = new WeightRounding(adaptive.levels(), c.channelMeans());
        }
        // Choose the calibration method by how close int8's probabilities stay to float's on the probe split.
        Map<String, Double> agreementByMethod = new LinkedHashMap<>();
        Calibration.Method bestMethod = null;
        double bestDivergence = Double.MAX_VALUE;
        for (Calibration.Method method : Calibration.Method.values()) {
            QuantSensitivity.Score sc = QuantSensitivity.score(model, c.ranges(method), rounding, Set.of(), probe, floatValid);
            agreementByMethod.put(method.name().toLowerCase(), sc.agreement());
            if (sc.divergence() < bestDivergence) {
                bestDivergence = sc.divergence();
                bestMethod = method;
            }
        }
        // Layers whose int8 copy moves the output most stay float (the MobileNetV3 h-swish/SE problem).
        Map<String, float[]> ranges = c.ranges(bestMethod);
        QuantSensitivity.Result sens = null;
        List<String> floatNodes = List.of();
        QuantAwareTuning.Result tuned = null;
        if (o.tuning() != null) {
            // The tuned network is quantized with the ranges it was tuned under, every layer int8; its
            // bias already absorbs the rounding shifts that the empirical correction would remove.
            tuned = QuantAwareTuning.tune(trained, ranges, o.tuning(), progress);
            rounding = WeightRounding.nearest(Map.of());
        } else if (o.sensitivity()) {
            progress.start("int8 sensitivity of each layer on " + probe.size() + " " + probeSplit + " segments", 1);
            sens = QuantSensitivity.measure(model, ranges, rounding, probe, floatValid);
            progress.finish();
            floatNodes = sens.floatNodes();
        }
        ModelProto toQuantize = tuned == null ? model
                : SpecOnnxWriter.write(setup.spec(), tuned.weights(), setup.normalization(), meta);
        ModelProto best = QdqQuantizer.quantize(toQuantize, ranges, Set.copyOf(floatNodes), rounding);
        byte[] int8Bytes = best.toByteArray();
        OnnxEvaluation qt, all;
        try (OnnxModel qm = new OnnxModel(int8Bytes, 1)) {
            qt = OnnxEvaluation.of(qm, test, genres);
        }
        if (floatNodes.isEmpty()) {
            all = qt;
        } else { // what the fix bought, on the reported split
            try (OnnxModel am = new OnnxModel(QdqQuantizer.quantize(model, ranges, Set.of(), rounding).toByteArray(), 1)) {
                all = OnnxEvaluation.of(am, test, genres);
            }
        }
        LatencyStats fl = LocalLatency.measure(floatBytes, 1, 20, 100), ql = LocalLatency.measure(int8Bytes, 1, 20, 100);
        AtomicFiles.write(dir.resolve(ModelPackage.INT8_MODEL), int8Bytes);
        QuantReport r = new QuantReport(Int8Scheme.SHIPPED, bestMethod.name().toLowerCase(), "test", floatTest.segmentAccuracy(), qt.evaluation().segmentAccuracy(),
                floatTest.clipAccuracy(), qt.evaluation().clipAccuracy(), OnnxEvaluation.agreement(floatTestProbs, qt.probabilities()),
                test.size(), probeSplit, agreementByMethod, floatBytes.length, int8Bytes.length, (double) int8Bytes.length / floatBytes.length,
                fl.p50(), ql.p50(), ql.p50() / fl.p50(), floatNodes, all.evaluation().segmentAccuracy(),
                OnnxEvaluation.agreement(floatTestProbs, all.probabilities()), sens, tuned == null ? null : tuned.history(),
                adaptive == null ? null : adaptive.layers());
        Json.write(dir.resolve(ModelPackage.QUANT), r);
        return r;
    }
}
