package dev.genre.search.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.genre.dataset.SegmentDataset;
import dev.genre.dataset.Split;
import dev.genre.io.AtomicFiles;
import dev.genre.io.Json;
import dev.genre.run.Progress;
import dev.genre.search.net.SpecNetwork;
import dev.genre.search.net.TorchvisionInit;
import dev.genre.search.spec.Cost;
import dev.genre.search.spec.NetworkSpec;
import dev.genre.search.spec.SpecResolver;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains a spec on a prepared dataset with DJL (PyTorch engine): random crops, SpecAugment,
 * mixup, label smoothing, AdamW or SGD, warm-up + cosine schedule. Checkpoints every epoch; a
 * resumed run continues with the same weights, optimizer moments, weight average, schedule position and random
 * streams (each epoch's streams derive from the seed and the epoch number), so it ends where an
 * uninterrupted run ends.
 */
public final class Trainer {
    public static final String TRAIN_JSON = "train.json";
    public static final String WEIGHTS = "model.params";
    public static final String METRICS = "metrics.json";

    private final TrainConfig cfg;
    private final Progress progress;

    private boolean withValidation;

    public Trainer(TrainConfig cfg, Progress progress) {
        this.cfg = cfg;
        this.progress = progress;
    }

    /**
     * Trains on the train and the validation clips: for a final model, once the architecture and the epochs are
     * chosen (there is nothing left to choose on validation). The test split stays out, for an honest score; the
     * per-epoch validation scores and {@link Result#valid} are then null.
     */
    public Trainer onTrainAndValidation() {
        this.withValidation = true;
        return this;
    }

    /** What a finished run produced; {@code valid} is null for a model trained on the validation clips too. */
    public record Result(Evaluation valid, Evaluation test, List<EpochMetrics> history, long params, long macs) {}

    /**
     * The facts a resumed run must share with the run it continues; exporters read them too.
     *
     * @param trainedOn the splits trained on: [train], or [train, valid] for a final model (null in runs before it: [train])
     */
    public record Setup(String dataset, NetworkSpec spec, TrainConfig config, Normalization normalization, List<String> genres,
                        List<String> trainedOn) {
        public Setup {
            if (trainedOn == null) trainedOn = List.of(Split.TRAIN.id());
        }
    }

    public Result train(Path dataset, NetworkSpec base, Path out, boolean resume, int stopAfterEpochs) throws IOException {
        SegmentDataset train = SegmentDataset.load(dataset, withValidation ? EnumSet.of(Split.TRAIN, Split.VALID)
                : EnumSet.of(Split.TRAIN), cfg.segmentFrames(), cfg.trainHop());
        SegmentDataset valid = SegmentDataset.load(dataset, Split.VALID, cfg.segmentFrames(), cfg.evalHop());
        SegmentDataset test = SegmentDataset.load(dataset, Split.TEST, cfg.segmentFrames(), cfg.evalHop());
        if (train.size() < cfg.batch()) throw new IOException(dataset + ": " + train.size() + " training segments, fewer than one batch of " + cfg.batch());
        List<String> genres = train.manifest().genres();
        NetworkSpec spec = base.withInput(1, train.nMels(), cfg.segmentFrames()).withClasses(genres.size());
        Setup setup = new Setup(dataset.toAbsolutePath().normalize().toString(), spec, cfg, Normalization.of(train), genres,
                train.splits().stream().map(Split::id).toList());
        Files.createDirectories(out);
        Path setupFile = out.resolve(TRAIN_JSON);
        if (resume) {
            if (!Files.isRegularFile(setupFile)) throw new IOException(out + ": nothing to resume (no " + TRAIN_JSON + ")");
            Setup before = Json.read(setupFile, Setup.class);
            if (!before.spec().equals(setup.spec()) || !before.config().equals(setup.config()) || !before.genres().equals(setup.genres())
                    || !before.trainedOn().equals(setup.trainedOn())) {
                throw new IOException(out + ": --resume needs the same data, architecture and recipe as the interrupted run");
            }
            setup = before;
        } else {
            Json.write(setupFile, setup);
        }
        Json.write(out.resolve("spec.json"), spec);

        int classes = genres.size();
        Batches trainBatches = new Batches(train, cfg, setup.normalization(), classes);
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed((int) cfg.seed());
            SpecNetwork net = new SpecNetwork(spec);
            net.dropPath(cfg.dropPath());
            net.initialize(manager, DataType.FLOAT32, net.inputShape(cfg.batch()));
            TorchvisionInit.applyIfRequested(net, manager);
            TrainingStep stepper = new TrainingStep(net, cfg, manager);
            OptimizerState opt = stepper.optimizer;
            WeightAverage ema = cfg.emaDecay() > 0 ? new WeightAverage(cfg.emaDecay(), net.getParameters(), manager) : null;
            List<EpochMetrics> history = new ArrayList<>();
            int startEpoch = 0;
            if (resume) {
                Checkpoint.State s = Checkpoint.load(out, net, opt, ema, manager);
                if (s != null) {
                    startEpoch = s.epoch();
                    history.addAll(s.history());
                }
            }
            int batchesPerEpoch = train.size() / cfg.batch();
            LearningRate schedule = new LearningRate(cfg.lr(), (long) cfg.warmupEpochs() * batchesPerEpoch, (long) cfg.epochs() * batchesPerEpoch);
            ParameterStore ps = stepper.parameterStore();
            // Batches are filled on this thread: a helper thread that prepared the next batch during the
            // step was slower on 2 cores (it competes with libtorch's threads) and gave NaN losses in 3 of 15 runs.
            float[] x = new float[cfg.batch() * trainBatches.perSegment];
            float[] t = new float[cfg.batch() * classes];
            int lastEpoch = stopAfterEpochs > 0 ? Math.min(cfg.epochs(), startEpoch + stopAfterEpochs) : cfg.epochs();
            for (int epoch = startEpoch; epoch < lastEpoch; epoch++) {
                long t0 = System.nanoTime();
                Engine.getInstance().setRandomSeed((int) (cfg.seed() * 7919 + epoch)); // dropout masks
                SplittableRandom rng = new SplittableRandom(cfg.seed() * 1_000_003L + epoch);
                int[] order = cfg.classBalance().epochOrder(train, classes, rng);
                double lossSum = 0, accSum = 0, lr = 0;
                int skipped = 0;
                long inSteps = 0, inBatches = 0;
                progress.start(String.format("epoch %d/%d", epoch + 1, cfg.epochs()), batchesPerEpoch);
                for (int b = 0; b < batchesPerEpoch; b++) {
                    long b0 = System.nanoTime();
                    trainBatches.train(order, b * cfg.batch(), cfg.batch(), rng, x, t);
                    lr = schedule.at(opt.step);
                    long s0 = System.nanoTime();
                    float[] stats = stepper.run(x, t, lr);
                    if (ema != null) ema.update(opt.step);
                    inSteps += System.nanoTime() - s0;
                    inBatches += s0 - b0;
                    if (stats == null) {
                        skipped++;
                    } else {
                        lossSum += stats[0];
                        accSum += stats[1];
                    }
                    int counted = Math.max(1, b + 1 - skipped);
                    double secs = (System.nanoTime() - t0) / 1e9;
                    progress.step(String.format("loss %.3f acc %.3f %.0f samples/s%s", lossSum / counted, accSum / counted,
                            (b + 1) * cfg.batch() / secs, skipped > 0 ? " skipped " + skipped : ""));
                }
                int counted = Math.max(1, batchesPerEpoch - skipped);
                progress.finish();
                double seconds = (System.nanoTime() - t0) / 1e9;
                Evaluation v = withValidation ? null : evaluate(net, ema, ps, manager, valid, setup.normalization(), genres);
                history.add(new EpochMetrics(epoch + 1, lr, lossSum / counted, accSum / counted, v == null ? Double.NaN : v.segmentAccuracy(),
                        v == null ? Double.NaN : v.clipAccuracy(), batchesPerEpoch * cfg.batch() / seconds, seconds, skipped, inSteps / 1e9, inBatches / 1e9));
                Checkpoint.save(out, net, opt, ema, epoch + 1, history);
            }
            Evaluation v, te;
            // The last step's weights scored too, so one run measures what the average gained.
            Evaluation lastStep = ema == null ? null : evaluate(net, ps, manager, test, setup.normalization(), genres);
            // With a weight average, the average is what is scored and saved: the model that ships.
            try (WeightAverage.Applied averaged = ema == null ? null : ema.apply()) {
                v = withValidation ? null : evaluate(net, ps, manager, valid, setup.normalization(), genres);
                te = evaluate(net, ps, manager, test, setup.normalization(), genres);
                AtomicFiles.write(out.resolve(WEIGHTS), o -> net.saveParameters(new DataOutputStream(o)));
            }
            Cost cost = Cost.total(SpecResolver.resolve(spec));
            Result r = new Result(v, te, history, cost.params(), cost.macs());
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("complete", lastEpoch == cfg.epochs());
            metrics.put("epochs", history.size());
            metrics.put("trainedOn", setup.trainedOn());
            metrics.put("valid", v == null ? "trained on: no validation score" : v);
            metrics.put("test", te);
            if (lastStep != null) metrics.put("testLastStep", lastStep);
            metrics.put("params", cost.params());
            metrics.put("macs", cost.macs());
            metrics.put("normalization", setup.normalization());
            metrics.put("history", history);
            Json.write(out.resolve(METRICS), metrics);
            TrainingPlots.write(out, history, te, genres);
            return r;
        }
    }

    private static Evaluation evaluate(SpecNetwork net, WeightAverage ema, ParameterStore ps, NDManager manager, SegmentDataset data,
            Normalization norm, List<String> genres) {
        if (ema == null) return evaluate(net, ps, manager, data, norm, genres);
        try (WeightAverage.Applied averaged = ema.apply()) {
            return evaluate(net, ps, manager, data, norm, genres);
        }
    }

    public static Evaluation evaluate(SpecNetwork net, ParameterStore ps, NDManager manager, SegmentDataset data, Normalization norm,
                               List<String> genres) {
        int n = data.size(), batch = 64, classes = genres.size();
        float[][] probs = new float[n][];
        Batches batches = new Batches(data, TrainConfig.defaults(), norm, classes);
        float[] x = new float[batch * batches.perSegment];
        StagingBuffer staging = new StagingBuffer();
        for (int from = 0; from < n; from += batch) {
            int count = Math.min(batch, n - from);
            batches.eval(from, count, x);
            try (NDManager sub = manager.newSubManager()) {
                NDArray input = staging.wrap(sub, x, new Shape(count, 1, data.nMels(), data.frames()));
                float[] p = net.predict(ps, input).softmax(1).toFloatArray();
                for (int i = 0; i < count; i++) probs[from + i] = java.util.Arrays.copyOfRange(p, i * classes, (i + 1) * classes);
            }
        }
        return Evaluation.of(probs, data, genres);
    }

    public static int[] shuffled(int n, SplittableRandom rng) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
        return a;
    }
}
