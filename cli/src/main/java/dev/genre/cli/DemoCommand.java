package dev.genre.cli;

import dev.genre.audio.synth.SyntheticDataset;
import dev.genre.audio.synth.SyntheticGenres;
import dev.genre.dataset.PrepOptions;
import dev.genre.dataset.Manifest;
import dev.genre.deploy.classify.Classifier;
import dev.genre.deploy.latency.DeviceProfiler;
import dev.genre.deploy.latency.LatencyTarget;
import dev.genre.deploy.latency.ProfileModels;
import dev.genre.deploy.pipeline.SearchPipeline;
import dev.genre.search.latency.DeviceProfile;
import dev.genre.search.latency.Precision;
import dev.genre.search.nas.MnasReward;
import dev.genre.search.nas.SearchConfig;
import dev.genre.search.nas.SearchRun;
import dev.genre.search.space.SearchSpace;
import dev.genre.deploy.pkg.ModelPackage;
import dev.genre.io.Json;
import dev.genre.run.Progress;
import dev.genre.search.spec.NetworkSpec;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/**
 * The main job on the embedded default data: synthesize clips, prepare the dataset, profile this
 * machine's int8 layer latencies, run a short ENAS search against a target the baseline misses,
 * retrain the winner and the baseline, export and measure both, make the one with the better reward
 * the current model and classify a synthetic MP3 the project ships, ending with a summary table.
 */
final class DemoCommand implements Command {
    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "run the pipeline on synthetic default data (synth, prep, profile, search, retrain, export int8, classify) under data/";
    }

    @Override
    public String usage() {
        return "[--data DIR] [--clips-per-genre N] [--seconds S] [--search-epochs N] [--epochs N] [--seed K]";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Flags.value("data", "DIR", "data folder (default data)"));
        o.addOption(Flags.value("clips-per-genre", "N", "clips per genre (default 12)"));
        o.addOption(Flags.value("seconds", "S", "clip length (default 15)"));
        o.addOption(Flags.value("search-epochs", "N", "ENAS shared-weight passes (default 20)"));
        o.addOption(Flags.value("epochs", "N", "epochs to retrain the winner and the baseline (default 6)"));
        o.addOption(Flags.value("seed", "K", "seed (default 0)"));
        return o;
    }

    @Override
    public int run(CommandLine cmd) throws Exception {
        Path data = Flags.path(cmd, "data", "data");
        Path clips = data.resolve("clips/synth"), dataset = data.resolve("datasets/synth");
        long seed = Flags.longValue(cmd, "seed", 0);
        SyntheticDataset.Options o = new SyntheticDataset.Options(SyntheticGenres.MAX, Flags.intValue(cmd, "clips-per-genre", 12),
                Flags.doubleValue(cmd, "seconds", 15), seed);
        int rc = SynthCommand.synth(clips, o);
        if (rc != OK) return rc;
        PrepOptions d = PrepOptions.defaults();
        rc = PrepCommand.prep(clips, dataset, new PrepOptions(d.mel(), new dev.genre.dataset.SplitSpec(d.split().fractions(), seed),
                d.segmentFrames(), d.threads()));
        if (rc != OK) return rc;

        // The device: this machine, one thread, int8 as shipped. The profile is kept and reused while it covers the space.
        SearchConfig sc = SearchConfig.defaults("enas", MnasReward.soft(1), seed).withEpochs(Flags.intValue(cmd, "search-epochs", 20))
                .withControllerSteps(16);
        SearchSpace space = SearchRun.spaceFor(Manifest.read(dataset), sc);
        Path profileFile = data.resolve("profiles/local-int8.json");
        long t0 = System.nanoTime();
        DeviceProfile profile = Files.isRegularFile(profileFile) ? DeviceProfile.read(profileFile) : null;
        boolean profiled = profile == null || !space.within(profile.space());
        if (profiled) {
            profile = DeviceProfiler.build(space, new LatencyTarget.Local(1, 3, 20),
                    new DeviceProfiler.Options(Precision.INT8, 1, 3, 20, "p50", 5, seed + 1), Progress.auto());
            Json.write(profileFile, profile);
        }
        double profileSeconds = (System.nanoTime() - t0) / 1e9;
        // A target the baseline misses: 80% of its own int8 latency here, so the search must find something faster.
        double baselineMs = new LatencyTarget.Local(1, 10, 50).time(ProfileModels.network(
                NetworkSpec.load("mobilenetv3-small").withInput(1, space.input()[1], space.input()[2]).withClasses(space.classes()), Precision.INT8, seed)).p50();
        double targetMs = Math.round(0.8 * baselineMs * 100) / 100.0;
        sc = new SearchConfig(sc.strategy(), sc.epochs(), 0, sc.controllerSteps(), sc.validBatch(), sc.calibrationBatches(), 3,
                MnasReward.soft(targetMs), sc.train(), sc.enas(), sc.evolution(), sc.uniformWarmup(), sc.space());

        Path run = data.resolve("runs/demo-search"), pkg = data.resolve("models/demo");
        SearchPipeline.Options po = new SearchPipeline.Options(dataset.toAbsolutePath().toString(), profileFile.toAbsolutePath().toString(), sc,
                Flags.intValue(cmd, "epochs", 6), true, "local", 1, 100);
        SearchPipeline.Result r;
        try (Progress p = Progress.auto()) {
            r = SearchPipeline.run(po, run, false, p);
        }
        // Ship the better of the two by the reward the search optimises, as the nightly promotion does:
        // a short search on a small dataset does not always beat the baseline (it lost once in twelve fresh clones).
        SearchPipeline.ModelResult w = r.winner(), b = r.baseline(), shipped = w.reward() >= b.reward() ? w : b;
        dev.genre.io.AtomicFiles.copyDirectory(Path.of(shipped.packageDir()), pkg);
        Path current = data.resolve("models/current");
        dev.genre.io.AtomicFiles.replaceSymlink(current, pkg);

        Path song = data.resolve("clips/demo-song.mp3");
        try (InputStream in = DemoCommand.class.getResourceAsStream("/demo/synth-jazz.mp3")) {
            dev.genre.io.AtomicFiles.write(song, in.readAllBytes());
        }
        Classifier.Result cr;
        try (Classifier c = new Classifier(ModelPackage.open(current), true)) {
            cr = c.classify(song);
        }
        SearchRun.Finalist bestChild = r.search().best();
        System.out.println();
        System.out.println("| step | result |");
        System.out.println("|---|---|");
        System.out.printf("| device profile (%d layers, int8, 1 thread) | %s, %.0f s |%n", profile.layers().size(), profiled ? "built" : "reused",
                profileSeconds);
        System.out.printf("| ENAS search (%d passes, %d children, %.0f s) | target %.2f ms; best child valid accuracy %.3f at %.2f ms predicted |%n",
                r.search().history().size(), r.search().children().size(), r.search().seconds(), targetMs, bestChild.segmentAccuracy(), bestChild.latencyMs());
        System.out.printf("| searched model, retrained %d epochs | test clip %.3f, segment %.3f; int8 %.2f ms; %,d params; reward %.3f |%n",
                po.retrainEpochs(), w.testClipAccuracy(), w.testSegmentAccuracy(), w.latencyMs(), w.params(), w.reward());
        System.out.printf("| mobilenetv3-small, same recipe | test clip %.3f, segment %.3f; int8 %.2f ms; %,d params; reward %.3f |%n",
                b.testClipAccuracy(), b.testSegmentAccuracy(), b.latencyMs(), b.params(), b.reward());
        System.out.printf("| shipped to %s | %s (reward %.3f against %.3f) |%n", pkg, shipped == w ? "the searched model" : "mobilenetv3-small",
                shipped.reward(), (shipped == w ? b : w).reward());
        System.out.printf("| classify %s | %s %.2f, %s %.2f |%n", song.getFileName(), cr.scores().get(0).genre(), cr.scores().get(0).probability(),
                cr.scores().get(1).genre(), cr.scores().get(1).probability());
        System.out.println("Search run: " + run + " (search.json, pareto.png, comparison.json)");
        System.out.println("Model package: " + pkg + " (data/models/current). Try: ./genre classify " + song);
        return OK;
    }
}
