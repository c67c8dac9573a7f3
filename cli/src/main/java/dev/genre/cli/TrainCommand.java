package dev.genre.cli;

import dev.genre.run.Progress;
import dev.genre.run.RunRecord;
import dev.genre.search.spec.NetworkSpec;
import dev.genre.search.train.TrainConfig;
import dev.genre.search.train.Trainer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

final class TrainCommand implements Command {
    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "train an architecture on a prepared dataset (DJL, PyTorch engine), resumable";
    }

    @Override
    public String usage() {
        return "--data DATASET --arch NAME|spec.json --epochs N --output DIR [--batch B] [--optimizer adamw|sgd] [--lr X] [--seed K] [--resume]";
    }

    @Override
    public Options options() {
        TrainConfig d = TrainConfig.defaults();
        Options o = new Options();
        o.addOption(Flags.required("data", "DATASET", "dataset folder written by genre prep"));
        o.addOption(Flags.value("arch", "NAME|FILE", "reference name or spec JSON (default mobilenetv3-small)"));
        o.addOption(Flags.value("epochs", "N", "epochs (default " + d.epochs() + ")"));
        o.addOption(Flags.required("output", "DIR", "run folder: checkpoints, model.params, metrics.json, run.json"));
        o.addOption(Flags.value("batch", "B", "batch size (default " + d.batch() + ")"));
        OptimizerFlags.add(o, "");
        o.addOption(Flags.value("seed", "K", "seed (default 0)"));
        o.addOption(Flags.value("time-stretch", "X", "tempo augmentation: crops stretched by up to 1 + X either way (default 0 = off)"));
        o.addOption(Flags.value("pitch-shift", "BINS", "pitch augmentation: crops shifted by up to this many mel bins (default 0 = off)"));
        o.addOption(Flags.value("genre-mix", "P", "blend each training crop with probability P with a crop of another clip of its genre (default 0 = off)"));
        o.addOption(Flags.value("drop-path", "P", "stochastic depth: each identity-shortcut row skips its residual branch for a sample with a"
                + " probability rising linearly with depth to P (default 0 = off)"));
        o.addOption(Flags.value("sam", "RHO", "sharpness-aware minimisation: each step's gradient is taken at the weights moved RHO along the"
                + " normalised gradient, e.g. 0.05; two passes per step (default 0 = off)"));
        o.addOption(Flags.value("ema", "DECAY", "evaluate and save an exponential moving average of the weights with this decay, e.g. 0.998 (default 0 = off)"));
        o.addOption(Flags.flag("resume", "continue an interrupted run in --output from its last checkpoint"));
        o.addOption(Flags.flag("final", "a final model: train on the train and the validation clips (the test clips stay out, for its score)"));
        return o;
    }

    @Override
    public int run(CommandLine cmd) throws Exception {
        Instant started = Instant.now();
        TrainConfig d = TrainConfig.defaults();
        TrainConfig cfg = OptimizerFlags.apply(cmd, d.with(Flags.intValue(cmd, "epochs", d.epochs()), Flags.intValue(cmd, "batch", d.batch()), d.lr(),
                Flags.longValue(cmd, "seed", 0)))
                .withTempoPitch(Flags.doubleValue(cmd, "time-stretch", d.timeStretch()),
                Flags.doubleValue(cmd, "pitch-shift", d.pitchShift()))
                .withGenreMix(Flags.doubleValue(cmd, "genre-mix", d.genreMix()))
                .withEma(Flags.doubleValue(cmd, "ema", d.emaDecay()))
                .withDropPath(Flags.doubleValue(cmd, "drop-path", d.dropPath()))
                .withSam(Flags.doubleValue(cmd, "sam", d.sam()));
        Path data = Path.of(cmd.getOptionValue("data")), out = Path.of(cmd.getOptionValue("output"));
        String arch = cmd.getOptionValue("arch", "mobilenetv3-small");
        Trainer trainer = new Trainer(cfg, Progress.auto());
        if (cmd.hasOption("final")) trainer.onTrainAndValidation();
        Trainer.Result r = trainer.train(data, NetworkSpec.load(arch), out, cmd.hasOption("resume"), 0);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("data", data.toAbsolutePath().normalize().toString());
        params.put("arch", arch);
        params.put("config", cfg);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("validClipAccuracy", r.valid() == null ? null : r.valid().clipAccuracy());
        result.put("testClipAccuracy", r.test().clipAccuracy());
        result.put("testSegmentAccuracy", r.test().segmentAccuracy());
        RunRecord.of("train", params, cfg.seed(), Map.of("manifest.sha256", dev.genre.io.Hashes.sha256(data.resolve("manifest.json"))),
                started, result).writeTo(out);
        System.out.printf("train: %s, %,d parameters, %,d MACs: test clip accuracy %.3f (macro %.3f), segment accuracy %.3f (%s) -> %s%n",
                arch, r.params(), r.macs(), r.test().clipAccuracy(), r.test().clipMacroAccuracy(), r.test().segmentAccuracy(),
                r.valid() == null ? "trained on the validation clips too" : String.format("valid clip %.3f", r.valid().clipAccuracy()), out);
        return OK;
    }
}
