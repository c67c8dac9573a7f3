package dev.genre.cli;

import dev.genre.audio.synth.SyntheticDataset;
import dev.genre.audio.synth.SyntheticGenres;
import dev.genre.dataset.PrepOptions;
import dev.genre.deploy.classify.Classifier;
import dev.genre.deploy.latency.DeviceInfo;
import dev.genre.deploy.latency.LatencyStats;
import dev.genre.deploy.latency.LocalLatency;
import dev.genre.deploy.pkg.Exporter;
import dev.genre.deploy.pkg.ModelPackage;
import dev.genre.io.Json;
import dev.genre.run.Progress;
import dev.genre.search.spec.NetworkSpec;
import dev.genre.search.train.TrainConfig;
import dev.genre.search.train.Trainer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/**
 * The main job on the embedded default data: synthesize clips, prepare the dataset, train the
 * baseline for a few epochs, export float + int8, measure latency, make it the current model and
 * classify a synthetic MP3 the project ships, ending with a summary table.
 */
final class DemoCommand implements Command {
    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "run the pipeline on synthetic default data (synth, prep, train, export int8, measure, classify) under data/";
    }

    @Override
    public String usage() {
        return "[--data DIR] [--clips-per-genre N] [--seconds S] [--epochs N] [--seed K]";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Flags.value("data", "DIR", "data folder (default data)"));
        o.addOption(Flags.value("clips-per-genre", "N", "clips per genre (default 12)"));
        o.addOption(Flags.value("seconds", "S", "clip length (default 15)"));
        o.addOption(Flags.value("epochs", "N", "training epochs (default 4)"));
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

        Path run = data.resolve("runs/demo-train"), pkg = data.resolve("models/demo");
        long t0 = System.nanoTime();
        TrainConfig cfg = TrainConfig.defaults().with(Flags.intValue(cmd, "epochs", 4), 32, TrainConfig.defaults().lr(), seed);
        Trainer.Result tr = new Trainer(cfg, Progress.auto()).train(dataset, NetworkSpec.load("mobilenetv3-small"), run, false, 0);
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        Exporter.Report ex = Exporter.export(run, pkg, new Exporter.Options(true, null, 256, seed), Progress.auto());
        LatencyStats fl = LocalLatency.measure(Files.readAllBytes(pkg.resolve(ModelPackage.FLOAT_MODEL)), 1, 20, 200);
        LatencyStats ql = LocalLatency.measure(Files.readAllBytes(pkg.resolve(ModelPackage.INT8_MODEL)), 1, 20, 200);
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("format", "genre-latency/1");
        latency.put("device", DeviceInfo.local(1));
        latency.put("float", fl);
        latency.put("int8", ql);
        Json.write(pkg.resolve(ModelPackage.LATENCY), latency);
        Path current = data.resolve("models/current");
        Path link = data.resolve("models/current" + dev.genre.io.AtomicFiles.TMP_MARKER + "link");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, Path.of("demo")); // relative: the data folder can move
        Files.move(link, current, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        Path song = data.resolve("clips/demo-song.mp3");
        try (InputStream in = DemoCommand.class.getResourceAsStream("/demo/synth-jazz.mp3")) {
            dev.genre.io.AtomicFiles.write(song, in.readAllBytes());
        }
        Classifier.Result cr;
        try (Classifier c = new Classifier(ModelPackage.open(current), true)) {
            cr = c.classify(song);
        }
        Exporter.QuantReport q = ex.quant();
        System.out.println();
        System.out.println("| step | result |");
        System.out.println("|---|---|");
        System.out.printf("| train mobilenetv3-small (%d epochs, %.0f s) | test clip accuracy %.3f, segment %.3f |%n", cfg.epochs(), trainSeconds,
                tr.test().clipAccuracy(), tr.test().segmentAccuracy());
        System.out.printf("| export ONNX | max abs logit difference vs DJL %.1e |%n", ex.maxLogitDiff());
        System.out.printf("| int8 (%s) | segment accuracy %.3f -> %.3f, top-1 agreement %.3f, size x%.2f |%n", q.method(),
                q.floatSegmentAccuracy(), q.int8SegmentAccuracy(), q.top1Agreement(), q.sizeRatio());
        System.out.printf("| latency, 1 thread, p50 of 200 | float %.2f ms, int8 %.2f ms |%n", fl.p50(), ql.p50());
        System.out.printf("| classify %s | %s %.2f, %s %.2f |%n", song.getFileName(), cr.scores().get(0).genre(), cr.scores().get(0).probability(),
                cr.scores().get(1).genre(), cr.scores().get(1).probability());
        System.out.println("Model package: " + pkg + " (data/models/current). Try: ./genre classify " + song);
        return OK;
    }
}
