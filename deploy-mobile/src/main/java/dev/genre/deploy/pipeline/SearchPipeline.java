package dev.genre.deploy.pipeline;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.genre.deploy.latency.InterleavedTiming;
import dev.genre.deploy.latency.LatencyStats;
import dev.genre.deploy.latency.LatencyTarget;
import dev.genre.deploy.latency.ProfileModels;
import dev.genre.deploy.pkg.Exporter;
import dev.genre.deploy.pkg.ModelPackage;
import dev.genre.io.Hashes;
import dev.genre.io.Json;
import dev.genre.run.Progress;
import dev.genre.run.RunRecord;
import dev.genre.search.latency.DeviceProfile;
import dev.genre.search.latency.LatencyPredictor;
import dev.genre.search.nas.ParetoPlot;
import dev.genre.search.nas.SearchConfig;
import dev.genre.search.nas.SearchRun;
import dev.genre.search.space.SearchSpace;
import dev.genre.dataset.Manifest;
import dev.genre.search.spec.Cost;
import dev.genre.search.spec.NetworkSpec;
import dev.genre.search.spec.SpecResolver;
import dev.genre.search.strategy.SearchStrategies;
import dev.genre.search.strategy.SearchStrategy;
import dev.genre.search.train.AccuracyMetric;
import dev.genre.search.train.Evaluation;
import dev.genre.search.train.TrainConfig;
import dev.genre.search.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code genre search} end to end: the weight-sharing search on the device profile's predicted
 * latency; the finalists measured on the device itself (int8 as shipped); the best by reward on
 * measured latency retrained from scratch; the MobileNetV3-Small baseline trained with the same
 * recipe and epochs; both exported and measured; pareto.png and a comparison. Every stage keeps
 * its outputs in the run directory, so {@code --resume} redoes only what was not finished.
 */
public final class SearchPipeline {
    public static final String OPTIONS = "pipeline.json";
    public static final String COMPARISON = "comparison.json";
    public static final String FINALISTS = "finalists.json";

    /**
     * Everything a run needs; saved as {@code pipeline.json} so {@code --resume RUN_DIR} needs nothing else.
     *
     * @param warmStart a previous run directory to start the search from when its space matches (null: from scratch)
     */
    @JsonPropertyOrder({"dataset", "device", "search", "retrainEpochs", "baseline", "target", "threads", "runs", "warmStart"})
    public record Options(String dataset, String device, SearchConfig search, int retrainEpochs, boolean baseline, String target,
                          int threads, int runs, String warmStart) {
        public Options(String dataset, String device, SearchConfig search, int retrainEpochs, boolean baseline, String target, int threads,
                       int runs) {
            this(dataset, device, search, retrainEpochs, baseline, target, threads, runs, null);
        }

        public Options withWarmStart(Path previousRun) {
            return new Options(dataset, device, search, retrainEpochs, baseline, target, threads, runs,
                    previousRun == null ? null : previousRun.toString());
        }

        public static Options read(Path runDir) throws IOException {
            Path f = runDir.resolve(OPTIONS);
            if (!Files.isRegularFile(f)) throw new IOException(runDir + ": not a search run (no " + OPTIONS + ")");
            return Json.read(f, Options.class);
        }
    }

    /** A finalist measured on the device. */
    @JsonPropertyOrder({"key", "validSegmentAccuracy", "validClipAccuracy", "validSegmentMacroAccuracy", "validClipMacroAccuracy", "predictedMs",
            "measuredMs", "reward", "params", "macs"})
    public record MeasuredFinalist(String key, double validSegmentAccuracy, double validClipAccuracy, double validSegmentMacroAccuracy,
                                   double validClipMacroAccuracy, double predictedMs, double measuredMs, double reward, long params, long macs,
                                   NetworkSpec spec) {}

    /** One retrained model on the test split, with its measured int8 latency and reward. */
    @JsonPropertyOrder({"name", "testClipAccuracy", "testSegmentAccuracy", "testClipMacroAccuracy", "testSegmentMacroAccuracy", "testClipMacroF1",
            "latencyMs", "reward", "params", "macs", "package"})
    public record ModelResult(String name, double testClipAccuracy, double testSegmentAccuracy, double testClipMacroAccuracy,
                              double testSegmentMacroAccuracy, double testClipMacroF1, double latencyMs, double reward, long params,
                              long macs, String packageDir) {
        /** The test segment accuracy a reward with {@code metric} reads. */
        public double testSegmentAccuracy(AccuracyMetric metric) {
            return metric.pick(testSegmentAccuracy, testSegmentMacroAccuracy);
        }
    }

    /** @param searchWorkers worker processes this call started for the search passes (0 when they were all done) */
    public record Result(SearchRun.Outcome search, int searchWorkers, List<MeasuredFinalist> finalists, ModelResult winner, ModelResult baseline) {}

    private SearchPipeline() {}

    public static Result run(Options o, Path out, boolean resume, Progress progress) throws IOException {
        Instant started = Instant.now();
        Files.createDirectories(out);
        if (!resume) Json.write(out.resolve(OPTIONS), o);
        Path dataset = Path.of(o.dataset());
        DeviceProfile profile = DeviceProfile.read(Path.of(o.device()));
        SearchConfig sc = o.search();
        SearchSpace space = SearchRun.spaceFor(Manifest.read(dataset), sc);
        if (!space.within(profile.space())) { // a profile of the MnasNet space also serves the elastic one, a part of it
            throw new IOException(o.device() + ": profiled for another search space than " + dataset + " needs (" + space.classes() + " classes, "
                    + space.input()[1] + " mel bands, " + space.input()[2] + " frames): rebuild it with genre profile-device --classes "
                    + space.classes());
        }

        // The passes run in worker processes (memory, see SearchWorker); this one then loads the last
        // checkpoint and re-scores the finalists.
        int workers = SearchWorker.runPasses(out, resume, progress);
        SearchRun.Outcome search;
        try (NDManager m = NDManager.newBaseManager()) {
            search = searchRun(o, progress).run(dataset, out, true, strategies(o, m), m, 0);
        }

        // The profile predicts; the device decides among the finalists. A resumed run keeps the first
        // measurement: timing noise must not pick a different winner than the one being retrained.
        LatencyTarget target = LatencyTarget.parse(o.target(), o.threads(), 10, o.runs(), null);
        Path finalistsFile = out.resolve(FINALISTS);
        List<MeasuredFinalist> measured;
        if (resume && Files.isRegularFile(finalistsFile)) {
            measured = List.of(Json.MAPPER.readValue(finalistsFile.toFile(), MeasuredFinalist[].class));
        } else {
            measured = new ArrayList<>();
            progress.start("measuring " + search.finalists().size() + " finalists on " + o.target() + " in " + InterleavedTiming.ROUNDS
                    + " interleaved rounds", 1);
            List<byte[]> models = new ArrayList<>();
            for (SearchRun.Finalist f : search.finalists()) models.add(ProfileModels.network(f.spec(), profile.precision(), sc.seed()));
            List<LatencyStats> lat = InterleavedTiming.median(target, o.runs(), InterleavedTiming.ROUNDS, models);
            for (int i = 0; i < models.size(); i++) {
                SearchRun.Finalist f = search.finalists().get(i);
                double ms = lat.get(i).p50();
                measured.add(new MeasuredFinalist(f.key(), f.segmentAccuracy(), f.clipAccuracy(), f.segmentMacroAccuracy(), f.clipMacroAccuracy(),
                        f.latencyMs(), ms, sc.reward().of(f.segmentAccuracy(sc.reward().metric()), ms), f.params(), f.macs(), f.spec()));
            }
            progress.step("done");
            progress.finish();
            measured.sort(Comparator.comparingDouble(MeasuredFinalist::reward).reversed());
            Json.write(finalistsFile, measured);
        }
        NetworkSpec best = measured.get(0).spec();
        Json.write(out.resolve(SearchRun.BEST_SPEC), best);

        TrainConfig recipe = TrainConfig.defaults().with(o.retrainEpochs(), sc.train().batch(), TrainConfig.defaults().lr(), sc.seed());
        List<Trained> trained = new ArrayList<>();
        trained.add(trainAndExport("searched", best, dataset, recipe, out.resolve("final-train"), out.resolve("package"), sc, progress));
        if (o.baseline()) trained.add(trainAndExport("mobilenetv3-small", NetworkSpec.load("mobilenetv3-small"), dataset, recipe,
                out.resolve("baseline-train"), out.resolve("baseline-package"), sc, progress));
        List<ModelResult> shipped = measure(trained, target, o.runs(), sc);
        ModelResult winner = shipped.get(0), baseline = o.baseline() ? shipped.get(1) : null;

        List<ParetoPlot.Marker> markers = new ArrayList<>();
        markers.add(new ParetoPlot.Marker("final model (test, measured)", winner.latencyMs(), winner.testSegmentAccuracy(sc.reward().metric())));
        if (baseline != null) markers.add(new ParetoPlot.Marker("mobilenetv3-small (test, measured)", baseline.latencyMs(), baseline.testSegmentAccuracy(sc.reward().metric())));
        ParetoPlot.write(out.resolve("pareto.png"), search.children(), sc.reward().targetMs(), markers);

        Map<String, Object> comparison = new LinkedHashMap<>();
        comparison.put("format", "genre-search-comparison/1");
        comparison.put("reward", sc.reward());
        comparison.put("searchSeconds", search.seconds());
        comparison.put("searchWorkers", workers);
        comparison.put("winner", winner);
        comparison.put("baseline", baseline);
        comparison.put("finalists", measured);
        Json.write(out.resolve(COMPARISON), comparison);

        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put("manifest.json", Hashes.sha256(dataset.resolve("manifest.json")));
        inputs.put("device-profile", Hashes.sha256(Path.of(o.device())));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("winner", winner);
        summary.put("baseline", baseline);
        RunRecord.of("search", Json.MAPPER.convertValue(o, LinkedHashMap.class), sc.seed(), inputs, started, summary).writeTo(out);
        return new Result(search, workers, measured, winner, baseline);
    }

    /** The search of a run's options on its device profile's latency predictions. */
    static SearchRun searchRun(Options o, Progress progress) throws IOException {
        LatencyPredictor predictor = new LatencyPredictor(DeviceProfile.read(Path.of(o.device())));
        SearchRun run = new SearchRun(o.search(), predictor::predictMs, progress);
        return o.warmStart() == null ? run : run.warmStartFrom(Path.of(o.warmStart()));
    }

    static Function<SearchSpace, SearchStrategy> strategies(Options o, NDManager m) {
        SearchConfig sc = o.search();
        return s -> SearchStrategies.create(sc.strategy(), s, sc.enas(), sc.evolution(), m);
    }

    /** A trained and exported model, not yet timed. */
    private record Trained(String name, Trainer.Result result, Path trainDir, Path pkg) {}

    /** Trains from scratch (or finishes an interrupted training) and exports float and int8. */
    private static Trained trainAndExport(String name, NetworkSpec spec, Path dataset, TrainConfig recipe, Path trainDir, Path pkg,
                                          SearchConfig sc, Progress progress) throws IOException {
        // The architecture and the epochs are chosen: the shipped model learns from the validation clips too.
        Trainer.Result r = new Trainer(recipe, progress).onTrainAndValidation().train(dataset, spec, trainDir, Files.isRegularFile(trainDir.resolve(Trainer.TRAIN_JSON)), 0);
        Exporter.export(trainDir, pkg, new Exporter.Options(true, null, 256, sc.seed()), progress);
        return new Trained(name, r, trainDir, pkg);
    }

    /** Times the int8 models against each other in interleaved rounds, writes each package's latency.json, scores each. */
    private static List<ModelResult> measure(List<Trained> trained, LatencyTarget target, int runs, SearchConfig sc) throws IOException {
        List<byte[]> models = new ArrayList<>();
        for (Trained t : trained) models.add(Files.readAllBytes(t.pkg().resolve(ModelPackage.INT8_MODEL)));
        List<LatencyStats> lat = InterleavedTiming.median(target, runs, InterleavedTiming.ROUNDS, models);
        List<ModelResult> out = new ArrayList<>();
        for (int i = 0; i < trained.size(); i++) {
            Trained t = trained.get(i);
            Map<String, Object> latency = new LinkedHashMap<>();
            latency.put("format", "genre-latency/1");
            latency.put("device", target.describe());
            latency.put("int8", lat.get(i));
            latency.put("method", "median of " + InterleavedTiming.ROUNDS + " rounds interleaved with the other models of the run");
            Json.write(t.pkg().resolve(ModelPackage.LATENCY), latency);
            Cost cost = Cost.total(SpecResolver.resolve(NetworkSpec.read(t.trainDir().resolve("spec.json"))));
            Evaluation test = t.result().test();
            double ms = lat.get(i).p50();
            out.add(new ModelResult(t.name(), test.clipAccuracy(), test.segmentAccuracy(), test.clipMacroAccuracy(), test.segmentMacroAccuracy(),
                    test.clipMacroF1(), ms, sc.reward().of(test, ms), cost.params(), cost.macs(), t.pkg().toString()));
        }
        return out;
    }
}
