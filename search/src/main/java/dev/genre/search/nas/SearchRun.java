package dev.genre.search.nas;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.genre.dataset.SegmentDataset;
import dev.genre.dataset.Split;
import dev.genre.io.AtomicFiles;
import dev.genre.io.Json;
import dev.genre.run.Progress;
import dev.genre.run.ResidentMemory;
import dev.genre.search.net.TorchvisionInit;
import dev.genre.search.space.ArchChoice;
import dev.genre.search.space.SearchSpace;
import dev.genre.search.spec.Cost;
import dev.genre.search.spec.NetworkSpec;
import dev.genre.search.spec.SpecResolver;
import dev.genre.search.strategy.SearchStrategy;
import dev.genre.search.supernet.BnMode;
import dev.genre.search.supernet.ChildPass;
import dev.genre.search.supernet.Supernet;
import dev.genre.search.train.Batches;
import dev.genre.search.train.Checkpoint;
import dev.genre.search.train.Evaluation;
import dev.genre.search.train.LearningRate;
import dev.genre.search.train.Normalization;
import dev.genre.search.train.OptimizerState;
import dev.genre.search.train.StagingBuffer;
import dev.genre.search.train.TrainConfig;
import dev.genre.search.train.Trainer;
import dev.genre.search.train.TrainingStep;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The weight-sharing search, alternating as ENAS does: one pass of shared-weight training on the
 * training split, each minibatch on a child from the strategy, then {@code controllerSteps}
 * children scored on validation minibatches (BN recalibrated per child) and rewarded with
 * {@link MnasReward} on the predicted latency. After every pass the supernet, its optimizer, the
 * strategy and every scored child are checkpointed atomically; a killed search resumes from the
 * last finished pass. At the end the top children by reward are re-scored on the whole
 * validation split.
 */
public final class SearchRun {
    public static final String CONFIG = "search-config.json";
    public static final String SEARCH_JSON = "search.json";
    public static final String BEST_SPEC = "best-spec.json";
    static final String CHECKPOINT = "checkpoint";
    /** ENAS's bound on the shared weights' gradient norm: a rare bad child must not blow the supernet up (NaN seen without it). */
    static final double GRAD_BOUND = 5.0;

    private final SearchConfig cfg;
    private final ToDoubleFunction<NetworkSpec> latencyMs;
    private final Progress progress;
    private final Path warmStart;
    private final boolean passesOnly;
    private final long handOverAbove;

    /**
     * The run directory's fixed facts; a resumed run must match them.
     *
     * @param warmStart      the run directory whose last supernet and strategy this run started from, or null (from scratch)
     * @param supernetLayout {@link Supernet#LAYOUT} of the checkpoints (0 in runs older than the field: layout 1)
     */
    public record Setup(String dataset, SearchSpace space, SearchConfig config, Normalization normalization, List<String> genres,
                        String warmStart, int supernetLayout) {}

    /** A finalist: its spec, whole-validation scores, predicted latency and reward. */
    public record Finalist(String key, int[] tokens, NetworkSpec spec, double segmentAccuracy, double clipAccuracy, double segmentMacroAccuracy,
                           double clipMacroAccuracy, double latencyMs, double reward, long params, long macs) {
        /** The validation segment accuracy a reward with {@code metric} reads. */
        public double segmentAccuracy(dev.genre.search.train.AccuracyMetric metric) {
            return metric.pick(segmentAccuracy, segmentMacroAccuracy);
        }
    }

    public record Outcome(Setup setup, List<ChildResult> children, List<SearchState.EpochSummary> history, List<Finalist> finalists,
                          double seconds) {
        public Finalist best() {
            return finalists.get(0);
        }
    }

    /** @param latencyMs the device's predicted latency of a spec (the profile's table sum) */
    public SearchRun(SearchConfig cfg, ToDoubleFunction<NetworkSpec> latencyMs, Progress progress) {
        this(cfg, latencyMs, progress, null, false, 0);
    }

    private SearchRun(SearchConfig cfg, ToDoubleFunction<NetworkSpec> latencyMs, Progress progress, Path warmStart, boolean passesOnly,
                      long handOverAbove) {
        this.cfg = cfg;
        this.latencyMs = latencyMs;
        this.progress = progress;
        this.warmStart = warmStart;
        this.passesOnly = passesOnly;
        this.handOverAbove = handOverAbove;
    }

    /**
     * Starts a new run from a previous run's last supernet weights and strategy state (not its optimizer,
     * schedule or scores) when that run searched the same space over the same genres; otherwise from
     * scratch. Nightly searches over a slowly growing clip folder use it. {@link Setup#warmStart()} says which.
     */
    public SearchRun warmStartFrom(Path previousRun) {
        return new SearchRun(cfg, latencyMs, progress, previousRun, passesOnly, handOverAbove);
    }

    /**
     * For a worker process: run the training passes only (no finalists), and return after the first
     * pass that leaves this process's resident memory above {@code bytes} (0 = never), checkpointed,
     * so a fresh process continues exactly. libtorch's allocations under jemalloc without purging
     * (the fast setting) grow with the ever-changing shapes of sampled children; a fresh process
     * starts small again, while purging made shared-weight training 2-6x slower.
     */
    public SearchRun asWorker(long bytes) {
        return new SearchRun(cfg, latencyMs, progress, warmStart, true, bytes);
    }

    /** Finished training passes of a run directory and the planned count (0 before the first checkpoint, when it is not known yet). */
    public record Passes(int done, int planned) {
        public boolean finished() {
            return planned > 0 && done >= planned;
        }
    }

    public static Passes passes(Path out) throws IOException {
        Path state = out.resolve(CHECKPOINT).resolve("state.json");
        if (!Files.isRegularFile(state)) return new Passes(0, 0);
        SearchState s = Json.read(state, SearchState.class);
        return new Passes(s.epoch(), s.plannedEpochs());
    }

    /** The previous run's checkpoint state when it can seed a search of this space and genres, else null. */
    public static SearchState warmStartState(Path previousRun, SearchSpace space, List<String> genres) throws IOException {
        if (previousRun == null || !Files.isRegularFile(previousRun.resolve(CONFIG))) return null;
        Setup before = setupOf(previousRun);
        Path state = previousRun.resolve(CHECKPOINT).resolve("state.json");
        if (!before.space().equals(space) || !before.genres().equals(genres) || before.supernetLayout() != Supernet.LAYOUT
                || !Files.isRegularFile(state)) return null;
        return Json.read(state, SearchState.class);
    }

    /** The space a search of this dataset explores: the configured space at the dataset's mel bands, segment length and genres. */
    public static SearchSpace spaceFor(dev.genre.dataset.Manifest manifest, SearchConfig cfg) {
        return SearchSpace.named(cfg.space(), manifest.mel().nMels(), cfg.train().segmentFrames(),
                manifest.genres().size());
    }

    /**
     * Children scored on the whole validation split through the shared weights of run {@code out}'s last
     * checkpoint, each with batch norm recalibrated for it as in the search (for {@code genre bench ranking}).
     */
    public static List<Evaluation> scoreThroughSupernet(Path out, List<ArchChoice> children, NDManager manager) throws IOException {
        Setup setup = setupOf(out);
        SearchConfig cfg = setup.config();
        TrainConfig tc = cfg.train();
        Path dataset = Path.of(setup.dataset());
        SegmentDataset train = SegmentDataset.load(dataset, Split.TRAIN, tc.segmentFrames(), tc.trainHop());
        SegmentDataset valid = SegmentDataset.load(dataset, Split.VALID, tc.segmentFrames(), tc.evalHop());
        Supernet net = new Supernet(setup.space());
        net.initialize(manager, DataType.FLOAT32, net.inputShape(tc.batch()));
        Path dir = out.resolve(CHECKPOINT);
        SearchState state = Json.read(dir.resolve("state.json"), SearchState.class);
        Checkpoint.restoreWeights(net, dir.resolve(state.supernet()), manager);
        ChildEvaluator evaluator = new ChildEvaluator(net, manager, train, valid, setup.normalization(), tc, cfg.validBatch(),
                cfg.calibrationBatches(), setup.genres(), cfg.seed());
        List<Evaluation> scores = new ArrayList<>();
        for (ArchChoice c : children) scores.add(evaluator.evaluate(c));
        return scores;
    }

    /** Reads the setup of an existing run directory (for {@code --resume}). */
    public static Setup setupOf(Path out) throws IOException {
        Path f = out.resolve(CONFIG);
        if (!Files.isRegularFile(f)) throw new IOException(out + ": not a search run (no " + CONFIG + ")");
        return Json.read(f, Setup.class);
    }

    /**
     * @param strategies makes the strategy for the run's space (ENAS needs the space's decision sizes)
     * @param stopAfterEpochs for tests: return after this many passes in this call (0 = run to the end)
     */
    public Outcome run(Path dataset, Path out, boolean resume, Function<SearchSpace, SearchStrategy> strategies, NDManager manager,
                       int stopAfterEpochs) throws IOException {
        TrainConfig tc = cfg.train();
        SegmentDataset train = SegmentDataset.load(dataset, Split.TRAIN, tc.segmentFrames(), tc.trainHop());
        SegmentDataset valid = SegmentDataset.load(dataset, Split.VALID, tc.segmentFrames(), tc.evalHop());
        if (train.size() < tc.batch()) throw new IOException(dataset + ": " + train.size() + " training segments, fewer than one batch of " + tc.batch());
        if (valid.size() == 0) throw new IOException(dataset + ": the validation split is empty; the search scores children on it");
        List<String> genres = train.manifest().genres();
        SearchSpace space = spaceFor(train.manifest(), cfg);
        SearchState seed = resume ? null : warmStartState(warmStart, space, genres);
        Setup setup = new Setup(dataset.toAbsolutePath().normalize().toString(), space, cfg, Normalization.of(train), genres,
                seed == null ? null : warmStart.toAbsolutePath().normalize().toString(), Supernet.LAYOUT);
        Files.createDirectories(out);
        if (resume) {
            Setup before = setupOf(out);
            if (!before.space().equals(space) || !before.config().equals(cfg) || !before.genres().equals(genres)) {
                throw new IOException(out + ": --resume needs the same data, space and search settings as the interrupted run");
            }
            if (before.supernetLayout() != Supernet.LAYOUT) {
                throw new IOException(out + ": its checkpoints hold supernet layout " + Math.max(1, before.supernetLayout()) + ", this version uses "
                        + Supernet.LAYOUT + "; start a new search");
            }
            setup = before;
        } else {
            Json.write(out.resolve(CONFIG), setup);
        }

        Engine.getInstance().setRandomSeed((int) cfg.seed());
        Supernet net = new Supernet(space);
        net.initialize(manager, DataType.FLOAT32, net.inputShape(tc.batch()));
        TorchvisionInit.applyIfRequested(net, manager);
        OptimizerState opt = new OptimizerState(tc.optimizer(), tc.momentum(), tc.weightDecay(), net.getParameters(), manager);
        try (SearchStrategy strategy = strategies.apply(space)) {
            SearchState state = resume ? loadCheckpoint(out, net, opt, strategy, manager) : null;
            if (seed != null) {
                Path dir = warmStart.resolve(CHECKPOINT);
                Checkpoint.restoreWeights(net, dir.resolve(seed.supernet()), manager);
                strategy.load(dir.resolve(seed.strategy()));
            }
            int epoch = state == null ? 0 : state.epoch();
            int planned = state == null ? cfg.epochs() : state.plannedEpochs();
            double spent = state == null ? 0 : state.seconds();
            List<ChildResult> children = new ArrayList<>(state == null ? List.of() : state.children());
            List<SearchState.EpochSummary> history = new ArrayList<>(state == null ? List.of() : state.history());

            Batches batches = new Batches(train, tc, setup.normalization(), genres.size());
            ChildEvaluator evaluator = new ChildEvaluator(net, manager, train, valid, setup.normalization(), tc, cfg.validBatch(),
                    cfg.calibrationBatches(), genres, cfg.seed());
            int perEpoch = train.size() / tc.batch();
            float[] x = new float[tc.batch() * batches.perSegment], t = new float[tc.batch() * genres.size()];
            StagingBuffer[] staging = {new StagingBuffer(), new StagingBuffer()};
            int last = stopAfterEpochs > 0 ? Math.min(planned, epoch + stopAfterEpochs) : planned;
            List<ArchChoice> panel = panel(space);
            while (epoch < last) {
                long t0 = System.nanoTime();
                LearningRate schedule = new LearningRate(tc.lr(), (long) tc.warmupEpochs() * perEpoch, (long) planned * perEpoch);
                Engine.getInstance().setRandomSeed((int) (cfg.seed() * 7919 + epoch));
                SplittableRandom rng = new SplittableRandom(cfg.seed() * 1_000_003L + epoch);
                int[] order = tc.classBalance().epochOrder(train, genres.size(), rng);
                double lossSum = 0, accSum = 0, lr = 0;
                int skipped = 0, counted = 0;
                boolean uniform = epoch < cfg.warmupPasses(planned);
                progress.start(String.format("epoch %d/%d shared weights%s", epoch + 1, planned, uniform ? " (uniform warm-up)" : ""), perEpoch);
                for (int b = 0; b < perEpoch; b++) {
                    ArchChoice child = uniform ? space.random(rng) : strategy.sampleForTraining(rng);
                    batches.train(order, b * tc.batch(), tc.batch(), rng, x, t);
                    lr = schedule.at(opt.step());
                    float[] s = trainStep(net, opt, manager, child, x, t, genres.size(), lr, staging);
                    if (s == null) {
                        skipped++;
                    } else {
                        lossSum += s[0];
                        accSum += s[1];
                        counted++;
                    }
                    progress.step(String.format("loss %.3f acc %.3f%s", lossSum / Math.max(1, counted), accSum / Math.max(1, counted),
                            skipped > 0 ? " skipped " + skipped : ""));
                }
                progress.finish();

                // One random validation minibatch per pass, the same for all its children: their rewards then differ by
                // the children, not by how hard each one's segments were (common random numbers), and the next pass draws another.
                int[] validOrder = Trainer.shuffled(valid.size(), rng);
                int n = Math.min(cfg.validBatch(), valid.size());
                List<Double> panelAccuracy = new ArrayList<>();
                for (ArchChoice c : panel) panelAccuracy.add(evaluator.accuracy(c, validOrder, 0, n, cfg.reward().metric()));
                double rewardSum = 0;
                if (!uniform) {
                    progress.start(String.format("epoch %d/%d %s", epoch + 1, planned, strategy.name()), cfg.controllerSteps());
                    for (int s = 0; s < cfg.controllerSteps(); s++) {
                        ArchChoice child = strategy.propose(rng);
                        double acc = evaluator.accuracy(child, validOrder, 0, n, cfg.reward().metric());
                        ChildResult r = score(space, child, acc, epoch + 1, s);
                        strategy.observe(child, r.reward());
                        children.add(r);
                        rewardSum += r.reward();
                        ChildResult best = best(children);
                        progress.step(String.format("best reward %.3f (acc %.3f, %.2f ms)%s", best.reward(), best.accuracy(),
                                best.latencyMs(), Double.isNaN(strategy.entropy()) ? "" : String.format(" entropy %.3f", strategy.entropy())));
                    }
                    strategy.endRound();
                    progress.finish();
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                spent += seconds;
                epoch++;
                if (cfg.timeBudgetSeconds() > 0) {
                    // The pass count that fits the budget, re-estimated after every pass from the mean duration of the
                    // passes after the first (which builds every kernel, 1.5-2x slower on GTZAN). Fixed after pass 2, one
                    // noisy pass decided the count: ENAS got 519 s of passes from a 600 s budget, random search 626 s.
                    // The cosine schedule follows the current count; the state records it for a resume.
                    double mean = seconds;
                    if (epoch > 1) {
                        double sum = seconds;
                        for (int i = 1; i < history.size(); i++) sum += history.get(i).seconds();
                        mean = sum / (epoch - 1);
                    }
                    planned = (int) Math.max(epoch, Math.min(cfg.epochs(), epoch + Math.round((cfg.timeBudgetSeconds() - spent) / mean)));
                    last = stopAfterEpochs > 0 ? Math.min(planned, last) : planned;
                }
                ChildResult best = children.isEmpty() ? null : best(children);
                history.add(new SearchState.EpochSummary(epoch, lr, lossSum / Math.max(1, counted), accSum / Math.max(1, counted),
                        best == null ? Double.NaN : best.reward(), best == null ? Double.NaN : best.accuracy(),
                        best == null ? Double.NaN : best.latencyMs(), strategy.entropy(), seconds, skipped, uniform,
                        uniform ? Double.NaN : rewardSum / cfg.controllerSteps(), panelAccuracy));
                SearchCurves.write(out, history, children, tc.lr());
                saveCheckpoint(out, net, opt, strategy, new SearchState(epoch, planned, opt.step(), spent, null, null, null, children, history));
                writeSearchJson(out, setup, children, history, List.of(), epoch >= planned);
                if (handOverAbove > 0 && epoch < last && ResidentMemory.bytes() > handOverAbove) break;
            }
            if (epoch < planned || passesOnly) return new Outcome(setup, children, history, List.of(), spent);
            if (children.isEmpty()) {
                // The budget ended inside the uniform warm-up (a short budget on a busy machine fits one pass):
                // one round of proposals on a validation minibatch, so there are finalists to measure.
                SplittableRandom rng = new SplittableRandom(cfg.seed() * 1_000_003L + epoch);
                int[] validOrder = Trainer.shuffled(valid.size(), rng);
                int n = Math.min(cfg.validBatch(), valid.size());
                for (int s = 0; s < cfg.controllerSteps(); s++) {
                    ArchChoice child = strategy.propose(rng);
                    ChildResult r = score(space, child, evaluator.accuracy(child, validOrder, 0, n, cfg.reward().metric()), epoch, s);
                    strategy.observe(child, r.reward());
                    children.add(r);
                }
                strategy.endRound();
            }

            List<Finalist> finalists = finalists(space, children, evaluator);
            writeSearchJson(out, setup, children, history, finalists, true);
            Json.write(out.resolve(BEST_SPEC), finalists.get(0).spec());
            return new Outcome(setup, children, history, finalists, spent);
        }
    }

    private ChildResult score(SearchSpace space, ArchChoice child, double acc, int epoch, int step) {
        NetworkSpec spec = space.decode(child);
        double lat = latencyMs.applyAsDouble(spec);
        Cost cost = Cost.total(SpecResolver.resolve(spec));
        return new ChildResult(epoch, step, child.key(), child.tokens(), acc, lat, cfg.reward().of(acc, lat), cost.params(), cost.macs());
    }

    /**
     * Children followed through the shared weights at every pass (search-curves.png): the reference (the skeleton
     * as designed) and three fixed random ones, the same in every run of a space.
     */
    static List<ArchChoice> panel(SearchSpace space) {
        List<ArchChoice> p = new ArrayList<>(List.of(space.reference()));
        SplittableRandom r = new SplittableRandom(0x9a11e1L);
        for (int i = 0; i < 3; i++) p.add(space.random(r));
        return p;
    }

    static ChildResult best(List<ChildResult> children) {
        return children.stream().max(Comparator.comparingDouble(ChildResult::reward)).orElseThrow();
    }

    /** The top-k distinct children by minibatch reward, re-scored on the whole validation split, best first. */
    private List<Finalist> finalists(SearchSpace space, List<ChildResult> children, ChildEvaluator evaluator) {
        Map<String, ChildResult> bestByKey = new LinkedHashMap<>();
        for (ChildResult c : children) bestByKey.merge(c.key(), c, (a, b) -> a.reward() >= b.reward() ? a : b);
        List<ChildResult> top = bestByKey.values().stream().sorted(Comparator.comparingDouble(ChildResult::reward).reversed())
                .limit(cfg.topK()).toList();
        List<Finalist> out = new ArrayList<>();
        progress.start("re-scoring the top children on the whole validation split", top.size());
        for (ChildResult c : top) {
            ArchChoice child = ArchChoice.ofTokens(c.tokens());
            Evaluation e = evaluator.evaluate(child);
            NetworkSpec spec = space.decode(child);
            out.add(new Finalist(c.key(), c.tokens(), spec, e.segmentAccuracy(), e.clipAccuracy(), e.segmentMacroAccuracy(), e.clipMacroAccuracy(),
                    c.latencyMs(), cfg.reward().of(e, c.latencyMs()), c.params(), c.macs()));
            progress.step(c.key());
        }
        progress.finish();
        out.sort(Comparator.comparingDouble(Finalist::reward).reversed());
        return out;
    }

    /**
     * One minibatch on one child: forward, soft-target cross-entropy, backward, update of the child's
     * weights only. Returns null, with nothing applied, when the loss or the gradient is not finite:
     * one such step would otherwise turn the shared weights into NaN for the rest of the search.
     */
    private static float[] trainStep(Supernet net, OptimizerState opt, NDManager manager, ArchChoice child, float[] x, float[] t, int classes,
                                     double lr, StagingBuffer[] staging) {
        try (NDManager sub = manager.newSubManager()) {
            Shape in = net.inputShape(t.length / classes);
            NDArray input = staging[0].wrap(sub, x, in), target = staging[1].wrap(sub, t, new Shape(in.get(0), classes));
            ChildPass pass = new ChildPass(child, BnMode.TRAIN, sub);
            float loss, acc;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits = net.forward(pass, input, true);
                NDArray l = TrainingStep.crossEntropy(logits, target);
                gc.backward(l);
                loss = l.getFloat();
                acc = TrainingStep.accuracy(logits, target);
            }
            double norm = opt.clipGradientNorm(pass.used(), GRAD_BOUND);
            if (!Float.isFinite(loss) || !Double.isFinite(norm)) {
                opt.discard(pass.used());
                return null;
            }
            opt.update(lr, pass.used());
            return new float[] {loss, acc};
        }
    }

    private static void writeSearchJson(Path out, Setup setup, List<ChildResult> children, List<SearchState.EpochSummary> history,
                                        List<Finalist> finalists, boolean complete) throws IOException {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("format", "genre-search/1");
        j.put("complete", complete);
        j.put("strategy", setup.config().strategy());
        j.put("reward", setup.config().reward());
        j.put("finalists", finalists);
        j.put("history", history);
        j.put("children", children);
        Json.write(out.resolve(SEARCH_JSON), j);
    }

    private static void saveCheckpoint(Path out, Supernet net, OptimizerState opt, SearchStrategy strategy, SearchState s) throws IOException {
        Path dir = out.resolve(CHECKPOINT);
        String tag = String.format("e%04d", s.epoch());
        String params = "supernet-" + tag + ".params", optim = "optimizer-" + tag + ".ndlist", strat = "strategy-" + tag;
        AtomicFiles.write(dir.resolve(params), o -> net.saveParameters(new DataOutputStream(o)));
        AtomicFiles.write(dir.resolve(optim), o -> opt.state().encode(o));
        Path sd = dir.resolve(strat);
        Files.createDirectories(sd);
        strategy.save(sd);
        // state.json names the files and is written last: a kill before this leaves the previous epoch in force.
        Json.write(dir.resolve("state.json"), new SearchState(s.epoch(), s.plannedEpochs(), s.step(), s.seconds(), params, optim, strat,
                s.children(), s.history()));
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                if (name.equals("state.json") || name.equals(params) || name.equals(optim) || name.equals(strat)) continue;
                AtomicFiles.deleteTree(p);
            }
        }
    }

    private static SearchState loadCheckpoint(Path out, Supernet net, OptimizerState opt, SearchStrategy strategy, NDManager manager)
            throws IOException {
        Path dir = out.resolve(CHECKPOINT), stateFile = dir.resolve("state.json");
        if (!Files.isRegularFile(stateFile)) return null; // killed before the first pass finished: start over
        SearchState s = Json.read(stateFile, SearchState.class);
        Checkpoint.restoreWeights(net, dir.resolve(s.supernet()), manager);
        Checkpoint.restoreOptimizer(opt, dir.resolve(s.optimizer()), s.step(), manager);
        strategy.load(dir.resolve(s.strategy()));
        return s;
    }
}
