package dev.genre.cli;

import dev.genre.bench.MelBenchmark;
import dev.genre.bench.ClassifyBenchmark;
import dev.genre.bench.EnsembleCvBenchmark;
import dev.genre.bench.Int8CvBenchmark;
import dev.genre.bench.SegmentHopBenchmark;
import dev.genre.deploy.quant.QuantAwareTuning;
import dev.genre.io.Hashes;
import dev.genre.bench.CvBenchmark;
import dev.genre.bench.DecodeBenchmark;
import dev.genre.bench.RankingBenchmark;
import dev.genre.bench.TrainBenchmark;
import dev.genre.search.space.SearchSpace;
import dev.genre.search.train.TrainConfig;
import java.util.List;
import dev.genre.io.Json;
import dev.genre.run.Progress;
import dev.genre.run.RunRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

final class BenchCommand implements Command {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "benchmarks against their peers: 'bench mel' (vs torchaudio), 'bench decode' (WAV, MP3, FLAC decoders vs ffmpeg), 'bench classify' (cold and warm genre classify), 'bench train' (vs PyTorch), 'bench cv' (k-fold accuracy vs a PyTorch recipe), 'bench int8' (int8 vs float on the cv folds), 'bench hop' (clip accuracy vs evaluation segment hop on the cv folds), 'bench ensemble' (seed ensembles of cv runs on the same folds), 'bench ranking' (supernet vs stand-alone ranking of children)";
    }

    @Override
    public String usage() {
        return "mel|decode|classify|train|cv|int8|hop|ensemble|ranking [--data DIR] [--output FILE.json] [--repeats N] [--threads N] [--folds N] [--epochs N] [--seed K] [--no-peer]";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Flags.value("data", "DIR", "<genre>/*.wav clips (default ../shared/data/gtzan-dev; decode: <genre>/* clips, default ../shared/data/gtzan-extra)"));
        o.addOption(Flags.value("output", "FILE", "results JSON (default data/bench/<name>.json)"));
        o.addOption(Flags.value("repeats", "N", "repeats per measurement; medians are reported (default 3; classify 5)"));
        o.addOption(Flags.value("model", "DIR", "classify: the model package (default data/models/current)"));
        o.addOption(Flags.value("threads", "N", "threads for the all-cores (mel) or training (train) run (default: all cores); cv: libtorch"
                + " threads of both peers (default 2)"));
        o.addOption(Flags.value("runs", "N", "train: inference runs after warm-up, split over the rounds (default 200)"));
        o.addOption(Flags.value("steps", "N", "train: timed training steps after warm-up, split over the rounds (default 50)"));
        o.addOption(Flags.value("rounds", "N", "train: rounds in which DJL and PyTorch alternate; the ratio is the median of the rounds' (default 5)"));
        o.addOption(Flags.value("profile-steps", "N", "train: also profile N more steps of each peer by op (libtorch's and PyTorch's"
                + " profilers) and print where the time goes (default 0: off)"));
        OptimizerFlags.add(o, "cv: ");
        o.addOption(Flags.value("batch", "B", "cv: batch size of both recipes (default " + TrainConfig.defaults().batch() + ")"));
        o.addOption(Flags.value("warmup-epochs", "N", "cv: linear warm-up epochs of the genre recipe (default " + TrainConfig.defaults().warmupEpochs() + ")"));
        o.addOption(Flags.value("mixup", "ALPHA", "cv: mixup alpha of the genre recipe, 0 = off (default 0.2)"));
        o.addOption(Flags.value("arch", "NAME|spec.json", "cv: the network this project trains (default " + CvBenchmark.ARCH
                + "; e.g. a search's best-spec.json); the PyTorch peer always trains torchvision's MobileNetV3-Small"));
        o.addOption(Flags.flag("no-specaugment", "cv: train the genre recipe without time/frequency masking"));
        o.addOption(Flags.value("specaugment", "F,FW,T,TW", "cv: SpecAugment of the genre recipe: F frequency masks up to FW bands wide, T time masks"
                + " up to TW frames wide (default " + TrainConfig.defaults().freqMasks() + "," + TrainConfig.defaults().freqMaskWidth() + ","
                + TrainConfig.defaults().timeMasks() + "," + TrainConfig.defaults().timeMaskWidth() + ")"));
        o.addOption(Flags.value("label-smoothing", "X", "cv: label smoothing of the genre recipe (default " + TrainConfig.defaults().labelSmoothing() + ")"));
        o.addOption(Flags.value("time-stretch", "X", "cv: tempo augmentation of the genre recipe, crops stretched by up to 1 + X either way (default "
                + TrainConfig.defaults().timeStretch() + " = off)"));
        o.addOption(Flags.value("pitch-shift", "BINS", "cv: pitch augmentation of the genre recipe, crops shifted by up to this many mel bins (default "
                + TrainConfig.defaults().pitchShift() + " = off)"));
        o.addOption(Flags.value("genre-mix", "P", "cv: blend each training crop with probability P with a crop of another clip of"
                + " its genre (default " + TrainConfig.defaults().genreMix() + " = off)"));
        o.addOption(Flags.value("drop-path", "P", "cv: stochastic depth, each identity-shortcut row skipping its branch with a probability rising"
                + " with depth to P (default " + TrainConfig.defaults().dropPath() + " = off)"));
        o.addOption(Flags.value("sam", "RHO", "cv: sharpness-aware minimisation of the genre recipe with radius RHO, two forward and backward"
                + " passes per step (default " + TrainConfig.defaults().sam() + " = off)"));
        o.addOption(Flags.value("ema", "DECAY", "cv: score each fold's exponential moving average of the weights with this decay (default "
                + TrainConfig.defaults().emaDecay() + " = off)"));
        o.addOption(Flags.value("segment-frames", "N", "cv: frames per training and evaluation segment of the genre recipe (default "
                + TrainConfig.defaults().segmentFrames() + "; hops stay " + TrainConfig.defaults().trainHop() + ")"));
        o.addOption(Flags.value("cv-work", "DIR", "int8, hop: the cross-validation work folder of bench cv (default data/bench/cv-work)"));
        o.addOption(Flags.flag("adaround", "int8: adaptive rounding of each fold's int8 weights (AdaRound) instead of nearest"));
        o.addOption(Flags.flag("granularity", "int8: also score each fold's model with one activation scale per channel instead of per tensor"
                + " (analysis: the most that equalising channels could give)"));
        o.addOption(Flags.value("qat-epochs", "N", "int8: epochs of quantization-aware fine-tuning of each fold's int8 model (default 0: post-training only)"));
        o.addOption(Flags.value("qat-lr", "X", "int8: peak learning rate of that fine-tuning (default " + QuantAwareTuning.Options.defaults().lr() + ")"));
        o.addOption(Flags.value("members", "LIST", "ensemble: comma-separated work folders of bench cv runs with one --fold-seed and"
                + " different --seed (e.g. data/bench/cv-work,data/bench/cv-f0-s1-work)"));
        o.addOption(Flags.flag("int8", "ensemble: also score the members' int8 models (run bench int8 --cv-work on each member first) and"
                + " their agreement with float"));
        o.addOption(Flags.value("hops", "LIST", "hop: evaluation segment hops in frames (default 128,64,32,16)"));
        o.addOption(Flags.value("children", "N", "ranking: children trained alone and scored through each supernet (default 12)"));
        o.addOption(Flags.value("passes", "N", "ranking: supernet training passes, uniform children (default 12)"));
        o.addOption(Flags.value("standalone-seeds", "N", "ranking: seeds each child is trained alone with; their agreement is the"
                + " ceiling of any ranking (default 2)"));
        o.addOption(Flags.value("spaces", "LIST", "ranking: the spaces whose supernets are compared (default " + String.join(",", SearchSpace.NAMES) + ")"));
        o.addOption(Flags.value("python", "EXE", "python with the peer (torchaudio or torchvision) (default /usr/bin/python3)"));
        o.addOption(Flags.value("folds", "N", "cv: folds, stratified by genre, assigned per clip (default 5)"));
        o.addOption(Flags.value("epochs", "N", "cv: training epochs per fold, both peers (default " + TrainConfig.defaults().epochs() + ");"
                + " ranking: epochs of each stand-alone child (default 10)"));
        o.addOption(Flags.value("seed", "K", "cv: seed of training, and of the fold assignment unless --fold-seed is given (default 0)"));
        o.addOption(Flags.value("fold-seed", "K", "cv: seed of the fold assignment alone (default: --seed); runs with one --fold-seed and"
                + " different --seed are the members of 'bench ensemble'"));
        o.addOption(Flags.flag("no-peer", "cv: run only this project's trainer, not the PyTorch recipe"));
        return o;
    }

    @Override
    public int run(CommandLine cmd) throws Exception {
        if (cmd.getArgList().size() != 1 || !List.of("mel", "decode", "classify", "train", "cv", "int8", "hop", "ensemble", "ranking").contains(cmd.getArgList().get(0))) {
            throw new IllegalArgumentException("expected a benchmark name: mel, decode, classify, train, cv, int8, hop, ensemble or ranking");
        }
        String name = cmd.getArgList().get(0);
        Instant started = Instant.now();
        Path output = Flags.path(cmd, "output", "data/bench/" + name + ".json");
        Path home = Path.of(System.getProperty("genre.home", "."));
        if (name.equals("train")) return train(cmd, output, home, started);
        if (name.equals("classify")) return classify(cmd, output, home, started);
        if (name.equals("cv")) return cv(cmd, output, home, started);
        if (name.equals("int8")) return int8(cmd, output, started);
        if (name.equals("hop")) return hop(cmd, output, started);
        if (name.equals("ensemble")) return ensemble(cmd, output, started);
        if (name.equals("ranking")) return ranking(cmd, output, started);
        if (name.equals("decode")) return decode(cmd, output, started);
        MelBenchmark.Config cfg = new MelBenchmark.Config(clipsFolder(cmd, "../shared/data/gtzan-dev"),
                output.toAbsolutePath().getParent().resolve("mel-work"), Flags.intValue(cmd, "repeats", 3), Flags.threads(cmd),
                home.resolve("bench/torchaudio_logmel.py"), cmd.getOptionValue("python", "/usr/bin/python3"));
        Map<String, Object> result = new MelBenchmark(cfg, System.out).run();
        Json.write(output, result);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("data", cfg.data().toAbsolutePath().normalize().toString());
        params.put("repeats", cfg.repeats());
        params.put("threads", cfg.threads());
        RunRecord.of("bench mel", params, null, Map.of(), started, Map.of("results", output.toString()))
                .writeFile(runRecordFile(output));
        System.out.println("results: " + output);
        return OK;
    }

    /** --data, or the GTZAN folder beside the project, which a machine may not have: say so in one line. */
    private static Path clipsFolder(CommandLine cmd, String fallback) throws IOException {
        Path data = Flags.path(cmd, "data", fallback);
        if (!Files.isDirectory(data)) {
            throw new IOException(data + ": no such folder" + (cmd.hasOption("data") ? "" : " (the default; give --data DIR, a clips folder in GTZAN's <genre>/<clip> layout)"));
        }
        return data;
    }

    private int decode(CommandLine cmd, Path output, Instant started) throws Exception {
        DecodeBenchmark.Config cfg = new DecodeBenchmark.Config(clipsFolder(cmd, "../shared/data/gtzan-extra"), Flags.intValue(cmd, "repeats", 3));
        Map<String, Object> result = new DecodeBenchmark(cfg, System.out).run();
        Json.write(output, result);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("data", cfg.data().toAbsolutePath().normalize().toString());
        params.put("repeats", cfg.repeats());
        RunRecord.of("bench decode", params, null, Map.of(), started, Map.of("results", output.toString())).writeFile(runRecordFile(output));
        System.out.println("results: " + output);
        return OK;
    }

    private int ranking(CommandLine cmd, Path output, Instant started) throws Exception {
        Path dataset = Flags.path(cmd, "data", "data/datasets/gtzan242-rank");
        if (!Files.isRegularFile(dataset.resolve("manifest.json"))) {
            throw new IOException(dataset + ": not a dataset (genre prep makes one; the README's ranking row uses --split 0.6,0.4,0 for a larger validation split)");
        }
        List<String> spaces = java.util.Arrays.stream(cmd.getOptionValue("spaces", String.join(",", SearchSpace.NAMES)).split(","))
                .map(String::trim).filter(x -> !x.isEmpty()).distinct().toList();
        for (String s : spaces) {
            if (!SearchSpace.NAMES.contains(s)) throw new IllegalArgumentException("--spaces: unknown space '" + s + "' (" + String.join(", ", SearchSpace.NAMES) + ")");
        }
        if (spaces.isEmpty()) throw new IllegalArgumentException("--spaces: name at least one space (" + String.join(", ", SearchSpace.NAMES) + ")");
        RankingBenchmark.Config cfg = new RankingBenchmark.Config(dataset, output.toAbsolutePath().getParent().resolve(
                output.getFileName().toString().replaceFirst("\\.json$", "") + "-work"), Flags.intValue(cmd, "children", 12),
                Flags.intValue(cmd, "epochs", 10), Flags.intValue(cmd, "standalone-seeds", 2), Flags.intValue(cmd, "passes", 12), spaces, 4,
                Flags.longValue(cmd, "seed", 0));
        Map<String, Object> result = new RankingBenchmark(cfg, System.out).run();
        Json.write(output, result);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("data", dataset.toAbsolutePath().normalize().toString());
        params.put("children", cfg.children());
        params.put("standaloneEpochs", cfg.standaloneEpochs());
        params.put("standaloneSeeds", cfg.standaloneSeeds());
        params.put("supernetPasses", cfg.supernetPasses());
        params.put("spaces", spaces);
        RunRecord.of("bench ranking", params, cfg.seed(), Map.of(), started, Map.of("results", output.toString())).writeFile(runRecordFile(output));
        System.out.println("results: " + output);
        return OK;
    }

    private int classify(CommandLine cmd, Path output, Path home, Instant started) throws Exception {
        Path model = Flags.path(cmd, "model", home.resolve("data/models/current").toString());
        if (!Files.isDirectory(model)) throw new IOException(model + ": no model package (genre demo or genre export makes one; or give --model)");
        ClassifyBenchmark.Config cfg = new ClassifyBenchmark.Config(home.resolve("genre"), model, output.toAbsolutePath().getParent().resolve("classify-work"),
                Flags.intValue(cmd, "repeats", 5));
        Map<String, Object> result = new ClassifyBenchmark(cfg, System.out).run();
        Json.write(output, result);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("model", model.toAbsolutePath().normalize().toString());
        params.put("repeats", cfg.repeats());
        RunRecord.of("bench classify", params, null, Map.of(), started, Map.of("results", output.toString())).writeFile(runRecordFile(output));
        System.out.println("results: " + output);
        return OK;
    }

    private int train(CommandLine cmd, Path output, Path home, Instant started) throws Exception {
        TrainBenchmark.Config cfg = new TrainBenchmark.Config(32, Flags.threads(cmd), Flags.intValue(cmd, "steps", 50), 10, // both peers: the JVM settles in ~10 steps (JIT stalls measured at steps 7-9)
                Flags.intValue(cmd, "runs", 200), Flags.intValue(cmd, "rounds", 5), home.resolve("bench/pytorch_mobilenet.py"),
                cmd.getOptionValue("python", "/usr/bin/python3"), output.toAbsolutePath().getParent().resolve("train-work"),
                Flags.intValue(cmd, "profile-steps", 0));
        Map<String, Object> result = new TrainBenchmark(cfg, System.out).run();
        Json.write(output, result);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("batch", cfg.batch());
        params.put("trainThreads", cfg.trainThreads());
        params.put("steps", cfg.steps());
        params.put("runs", cfg.runs());
        params.put("rounds", cfg.rounds());
        params.put("profileSteps", cfg.profileSteps());
        RunRecord.of("bench train", params, 0L, Map.of(), started, Map.of("results", output.toString()))
                .writeFile(runRecordFile(output));
        System.out.println("results: " + output);
        return OK;
    }

    /** {@code --specaugment F,FW,T,TW}: mask counts and widths, or the recipe's when absent. */
    static int[] specAugment(String value, TrainConfig r) {
        if (value == null) return new int[] {r.freqMasks(), r.freqMaskWidth(), r.timeMasks(), r.timeMaskWidth()};
        String[] f = value.split(",");
        String wanted = "--specaugment wants F,FW,T,TW (four integers, none negative), not " + value;
        if (f.length != 4) throw new IllegalArgumentException(wanted);
        int[] m = new int[4];
        for (int i = 0; i < 4; i++) {
            try {
                m[i] = Integer.parseInt(f[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(wanted);
            }
            if (m[i] < 0) throw new IllegalArgumentException(wanted);
        }
        return m;
    }

    private int cv(CommandLine cmd, Path output, Path home, Instant started) throws Exception {
        TrainConfig d = TrainConfig.defaults();
        TrainConfig r = OptimizerFlags.apply(cmd, d.with(Flags.intValue(cmd, "epochs", d.epochs()), Flags.intValue(cmd, "batch", d.batch()), d.lr(),
                Flags.longValue(cmd, "seed", 0)));
        // Recipe variants for the cross-validated study (README, Training).
        double mixup = Flags.doubleValue(cmd, "mixup", r.mixupAlpha());
        boolean noAugment = cmd.hasOption("no-specaugment");
        int[] masks = specAugment(cmd.getOptionValue("specaugment"), r);
        TrainConfig recipe = new TrainConfig(r.epochs(), r.batch(), r.optimizer(), r.lr(), r.momentum(),
                r.weightDecay(), Flags.intValue(cmd, "warmup-epochs", r.warmupEpochs()),
                Flags.doubleValue(cmd, "label-smoothing", r.labelSmoothing()), mixup, noAugment ? 0 : masks[0], masks[1], noAugment ? 0 : masks[2], masks[3],
                Flags.doubleValue(cmd, "time-stretch", r.timeStretch()), Flags.doubleValue(cmd, "pitch-shift", r.pitchShift()),
                Flags.doubleValue(cmd, "genre-mix", r.genreMix()), Flags.doubleValue(cmd, "ema", r.emaDecay()),
                Flags.doubleValue(cmd, "drop-path", r.dropPath()), Flags.doubleValue(cmd, "sam", r.sam()), Flags.intValue(cmd, "segment-frames", r.segmentFrames()), r.trainHop(), r.evalHop(), r.seed(),
                r.balance());
        CvBenchmark.Config cfg = new CvBenchmark.Config(clipsFolder(cmd, "../shared/data/gtzan-dev"),
                workOf(output), Flags.intValue(cmd, "folds", 5), recipe,
                Flags.intValue(cmd, "threads", 2), cmd.hasOption("no-peer") ? null : home.resolve("bench/pytorch_cv.py"),
                cmd.getOptionValue("python", "/usr/bin/python3"), cmd.getOptionValue("arch", CvBenchmark.ARCH),
                cmd.hasOption("fold-seed") ? Flags.longValue(cmd, "fold-seed", 0) : null);
        Map<String, Object> result = new CvBenchmark(cfg, System.out, Progress.auto()).run();
        Json.write(output, result);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("data", cfg.data().toAbsolutePath().normalize().toString());
        params.put("folds", cfg.folds());
        params.put("arch", cfg.arch());
        params.put("recipe", recipe);
        params.put("threads", cfg.threads());
        params.put("peer", cfg.peerScript() != null);
        params.put("foldSeed", cfg.foldAssignmentSeed());
        Path foldsFile = cfg.work().resolve(CvBenchmark.FOLDS_FILE);
        RunRecord.of("bench cv", params, recipe.seed(), Map.of(CvBenchmark.FOLDS_FILE + ".sha256", Hashes.sha256(foldsFile)), started,
                Map.of("results", output.toString())).writeFile(runRecordFile(output));
        System.out.println("results: " + output);
        return OK;
    }

    /** int8 vs float on the held-out folds of the last {@code bench cv} (its fold models and datasets under cv-work). */
    private int int8(CommandLine cmd, Path output, Instant started) throws Exception {
        Path work = Flags.path(cmd, "cv-work", output.toAbsolutePath().getParent().resolve("cv-work").toString());
        Int8CvBenchmark.Config cfg = new Int8CvBenchmark.Config(work, 256, Flags.longValue(cmd, "seed", 0), ExportCommand.tuning(cmd), ExportCommand.rounding(cmd),
                cmd.hasOption("granularity"));
        Map<String, Object> result = new Int8CvBenchmark(cfg, System.out, Progress.auto()).run();
        Json.write(output, result);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("cvWork", work.toAbsolutePath().normalize().toString());
        params.put("calibrationSegments", cfg.calibrationSegments());
        params.put("tuning", cfg.tuning());
        params.put("rounding", cfg.rounding());
        params.put("granularity", cfg.granularity());
        RunRecord.of("bench int8", params, cfg.seed(), Map.of(CvBenchmark.FOLDS_FILE + ".sha256", Hashes.sha256(work.resolve(CvBenchmark.FOLDS_FILE))),
                started, Map.of("results", output.toString())).writeFile(runRecordFile(output));
        System.out.println("results: " + output);
        return OK;
    }

    /** Clip accuracy against the evaluation hop, on the held-out folds of the last {@code bench cv} (their float exports, made on first use). */
    private int hop(CommandLine cmd, Path output, Instant started) throws Exception {
        Path work = Flags.path(cmd, "cv-work", output.toAbsolutePath().getParent().resolve("cv-work").toString());
        List<Integer> hops = java.util.Arrays.stream(cmd.getOptionValue("hops", "128,64,32,16").split(",")).map(String::trim)
                .map(Integer::parseInt).toList();
        if (hops.stream().anyMatch(h -> h < 1)) throw new IllegalArgumentException("--hops: frames must be positive: " + hops);
        SegmentHopBenchmark.Config cfg = new SegmentHopBenchmark.Config(work, hops, Flags.intValue(cmd, "threads", 1));
        Map<String, Object> result = new SegmentHopBenchmark(cfg, System.out, Progress.auto()).run();
        Json.write(output, result);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("cvWork", work.toAbsolutePath().normalize().toString());
        params.put("hops", hops);
        params.put("threads", cfg.threads());
        RunRecord.of("bench hop", params, null, Map.of(CvBenchmark.FOLDS_FILE + ".sha256", Hashes.sha256(work.resolve(CvBenchmark.FOLDS_FILE))),
                started, Map.of("results", output.toString())).writeFile(runRecordFile(output));
        System.out.println("results: " + output);
        return OK;
    }

    /** Seed ensembles of {@code bench cv} runs that share a fold assignment, scored on their held-out folds. */
    private int ensemble(CommandLine cmd, Path output, Instant started) throws Exception {
        if (!cmd.hasOption("members")) throw new IllegalArgumentException("ensemble: --members DIR,DIR[,...] is required (bench cv work folders)");
        List<Path> members = java.util.Arrays.stream(cmd.getOptionValue("members").split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(Path::of).toList();
        EnsembleCvBenchmark.Config cfg = new EnsembleCvBenchmark.Config(members, Flags.intValue(cmd, "threads", 1), cmd.hasOption("int8"));
        Map<String, Object> result = new EnsembleCvBenchmark(cfg, System.out, Progress.auto()).run();
        Json.write(output, result);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("members", result.get("members"));
        params.put("threads", cfg.threads());
        params.put("int8", cfg.int8());
        Map<String, String> inputs = new LinkedHashMap<>();
        for (Path m : members) inputs.put(m.resolve(CvBenchmark.FOLDS_FILE) + ".sha256", Hashes.sha256(m.resolve(CvBenchmark.FOLDS_FILE)));
        RunRecord.of("bench ensemble", params, null, inputs, started, Map.of("results", output.toString())).writeFile(runRecordFile(output));
        System.out.println("results: " + output);
        return OK;
    }

    /** {@code data/bench/cv.json} -> {@code data/bench/cv-work}: variants written to other files keep their own fold models. */
    static Path workOf(Path output) {
        String name = output.getFileName().toString().replaceFirst("\\.json$", "");
        return output.toAbsolutePath().resolveSibling(name + "-work");
    }

    /** {@code data/bench/cv.json} -> {@code data/bench/cv.run.json}: each benchmark keeps its own record. */
    static Path runRecordFile(Path output) {
        String name = output.getFileName().toString().replaceFirst("\\.json$", "");
        return output.toAbsolutePath().resolveSibling(name + ".run.json");
    }
}
