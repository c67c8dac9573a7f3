package dev.genre.bench;

import dev.genre.dataset.SegmentDataset;
import dev.genre.dataset.Split;
import dev.genre.deploy.onnx.OnnxEvaluation;
import dev.genre.deploy.onnx.OnnxModel;
import dev.genre.deploy.pkg.Exporter;
import dev.genre.deploy.pkg.ModelPackage;
import dev.genre.io.Json;
import dev.genre.run.Progress;
import dev.genre.search.cv.CvSummary;
import dev.genre.search.cv.Folds;
import dev.genre.search.train.Evaluation;
import dev.genre.search.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What ensembling independently trained models gains on the held-out folds: several {@code bench cv}
 * runs on the same fold assignment ({@code --fold-seed}) but different training seeds are the
 * members; on each fold, the first j members' segment probabilities are averaged and scored as one
 * model, for j = 1..N. Every member is scored alone too, so the table shows the ensemble against each
 * of its parts on the same folds. Members run through their float ONNX export (written once per fold
 * run to {@code work/float/fold-K}), as {@code classify} would run them. Nothing is trained here and
 * nothing is chosen on the held-out folds.
 */
public final class EnsembleCvBenchmark {
    /** @param int8 also score the members' int8 models from {@code bench int8} ({@code work/int8/fold-K/model-int8.onnx}) */
    public record Config(List<Path> members, int threads, boolean int8) {
        public Config(List<Path> members, int threads) {
            this(members, threads, false);
        }
    }

    /**
     * The same model or ensemble from its members' int8 models: accuracies, and top-1 agreement with the float one over all
     * held-out segments and clips (clip predictions from the mean of segment probabilities).
     */
    public record Int8Row(double clipMean, double pooledSegmentAccuracy, double segmentAgreement, double clipAgreement) {}

    /** One model or ensemble over all folds: clip accuracy per fold, its mean and spread, pooled segment accuracy. */
    public record Row(String model, List<String> archs, List<Long> trainingSeeds, List<Double> clipAccuracy, double clipMean, double clipStd,
                      List<Double> segmentAccuracy, double segmentMean, double segmentStd, double pooledSegmentAccuracy, Int8Row int8) {}

    private final Config cfg;
    private final PrintStream out;
    private final Progress progress;

    public EnsembleCvBenchmark(Config cfg, PrintStream out, Progress progress) {
        if (cfg.members().size() < 2) throw new IllegalArgumentException("--members: an ensemble needs at least 2 bench cv work folders");
        this.cfg = cfg;
        this.out = out;
        this.progress = progress;
    }

    public Map<String, Object> run() throws IOException {
        Folds folds = sameFolds(cfg.members());
        int m = cfg.members().size();
        List<List<Path>> runs = new ArrayList<>();
        for (Path w : cfg.members()) runs.add(CvWork.foldRuns(w));
        int k = runs.get(0).size();
        for (int i = 1; i < m; i++) {
            if (runs.get(i).size() != k) throw new IOException(cfg.members().get(i) + ": " + runs.get(i).size() + " fold runs, the first member has " + k);
        }
        List<Long> seeds = new ArrayList<>();
        List<String> archs = new ArrayList<>();
        // probs[member][fold]: every held-out segment's class probabilities; the test views agree across members (checked).
        float[][][][] probs = new float[m][k][][];
        float[][][][] int8 = cfg.int8() ? new float[m][k][][] : null;
        List<SegmentDataset> tests = new ArrayList<>();
        List<String> genres = null;
        for (int i = 0; i < m; i++) {
            for (int f = 0; f < k; f++) {
                Path run = runs.get(i).get(f);
                Trainer.Setup setup = Json.read(run.resolve(Trainer.TRAIN_JSON), Trainer.Setup.class);
                if (f == 0) {
                    seeds.add(setup.config().seed());
                    archs.add(setup.spec().name());
                }
                if (genres == null) genres = setup.genres();
                else if (!genres.equals(setup.genres())) throw new IOException(run + ": genres " + setup.genres() + " differ from " + genres);
                SegmentDataset test = SegmentDataset.load(Path.of(setup.dataset()), Split.TEST, setup.config().segmentFrames(), setup.config().evalHop());
                if (i == 0) tests.add(test);
                else if (test.size() != tests.get(f).size() || test.clipCount() != tests.get(f).clipCount()) {
                    throw new IOException(run + ": held-out fold has " + test.size() + " segments of " + test.clipCount()
                            + " clips, the first member's " + tests.get(f).size() + " of " + tests.get(f).clipCount());
                }
                try (OnnxModel model = new OnnxModel(CvWork.floatModel(cfg.members().get(i), run, progress), cfg.threads())) {
                    probs[i][f] = OnnxEvaluation.of(model, test, genres).probabilities();
                }
                if (int8 != null) {
                    Path q = cfg.members().get(i).resolve("int8").resolve(run.getFileName()).resolve(ModelPackage.INT8_MODEL);
                    if (!Files.isRegularFile(q)) throw new IOException(q + ": missing; run genre bench int8 --cv-work " + cfg.members().get(i) + " first");
                    try (OnnxModel model = new OnnxModel(q, cfg.threads())) {
                        int8[i][f] = OnnxEvaluation.of(model, test, genres).probabilities();
                    }
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            rows.add(score("member " + (i + 1) + " (" + cfg.members().get(i).getFileName() + ")", List.of(archs.get(i)), List.of(seeds.get(i)),
                    new int[] {i}, probs, int8, tests, genres));
        }
        for (int j = 2; j <= m; j++) {
            int[] first = java.util.stream.IntStream.range(0, j).toArray();
            rows.add(score("ensemble of " + j, archs.subList(0, j), seeds.subList(0, j), first, probs, int8, tests, genres));
        }
        out.printf("ensemble: %d members on %d folds (fold seed %d), %d held-out segments%n", m, k, folds.seed(),
                tests.stream().mapToInt(SegmentDataset::size).sum());
        out.println("| model | arch(s) | training seed(s) | clip acc per fold | clip acc mean ± std | segment acc mean ± std | segment acc (pooled) |");
        out.println("|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            out.printf("| %s | %s | %s | %s | %.3f ± %.3f | %.3f ± %.3f | %.3f |%n", r.model(), archLabel(r.archs()), r.trainingSeeds(),
                    String.join(" / ", r.clipAccuracy().stream().map(c -> String.format("%.2f", c)).toList()), r.clipMean(), r.clipStd(),
                    r.segmentMean(), r.segmentStd(), r.pooledSegmentAccuracy());
        }
        if (int8 != null) {
            out.println();
            out.println("| model (int8) | clip acc mean | segment acc (pooled) | top-1 agreement with float, segments | clips |");
            out.println("|---|---|---|---|---|");
            for (Row r : rows) {
                out.printf("| %s | %.3f | %.3f | %.4f | %.3f |%n", r.model(), r.int8().clipMean(), r.int8().pooledSegmentAccuracy(),
                        r.int8().segmentAgreement(), r.int8().clipAgreement());
            }
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("format", "genre-bench-ensemble/1");
        r.put("protocol", "bench cv runs on one fold assignment with different training seeds; on each held-out fold the members' float ONNX"
                + " segment probabilities are averaged (first j members) and scored like one model: clip prediction = mean of its segments'"
                + " probabilities");
        r.put("members", cfg.members().stream().map(p -> p.toAbsolutePath().normalize().toString()).toList());
        r.put("foldSeed", folds.seed());
        r.put("folds", k);
        r.put("int8", cfg.int8());
        r.put("rows", rows);
        return r;
    }

    /** Per-fold clip and segment accuracy, and segment accuracy pooled over the folds, of one set of held-out probabilities. */
    private record FoldScores(double[] clip, double[] segment, double pooledSegment) {
        static FoldScores of(float[][][] perFold, List<SegmentDataset> tests, List<String> genres) {
            int k = tests.size();
            double[] clip = new double[k], seg = new double[k];
            long correct = 0, segments = 0;
            for (int f = 0; f < k; f++) {
                Evaluation e = Evaluation.of(perFold[f], tests.get(f), genres);
                clip[f] = e.clipAccuracy();
                seg[f] = e.segmentAccuracy();
                correct += Math.round(e.segmentAccuracy() * e.segments());
                segments += e.segments();
            }
            return new FoldScores(clip, seg, (double) correct / segments);
        }
    }

    private static Row score(String name, List<String> archs, List<Long> seeds, int[] members, float[][][][] probs, float[][][][] int8,
                             List<SegmentDataset> tests, List<String> genres) {
        float[][][] mean = averageFolds(probs, members, tests.size());
        FoldScores fs = FoldScores.of(mean, tests, genres);
        CvSummary.MeanStd c = CvSummary.MeanStd.of(fs.clip()), s = CvSummary.MeanStd.of(fs.segment());
        return new Row(name, List.copyOf(archs), List.copyOf(seeds), java.util.Arrays.stream(fs.clip()).boxed().toList(), c.mean(), c.std(),
                java.util.Arrays.stream(fs.segment()).boxed().toList(), s.mean(), s.std(), fs.pooledSegment(),
                int8 == null ? null : scoreInt8(mean, averageFolds(int8, members, tests.size()), tests, genres));
    }

    /** The int8 model's (or ensemble's) accuracies, and how often its segment and clip predictions equal the float one's. */
    private static Int8Row scoreInt8(float[][][] fp, float[][][] q, List<SegmentDataset> tests, List<String> genres) {
        FoldScores fs = FoldScores.of(q, tests, genres);
        long segments = 0, sameSegments = 0, sameClips = 0, clips = 0;
        for (int f = 0; f < tests.size(); f++) {
            for (int s = 0; s < fp[f].length; s++) if (Evaluation.argmax(fp[f][s]) == Evaluation.argmax(q[f][s])) sameSegments++;
            segments += fp[f].length;
            double[][] cf = clipSums(fp[f], tests.get(f)), cq = clipSums(q[f], tests.get(f));
            for (int c = 0; c < cf.length; c++) if (Evaluation.argmax(cf[c]) == Evaluation.argmax(cq[c])) sameClips++;
            clips += cf.length;
        }
        return new Int8Row(CvSummary.MeanStd.of(fs.clip()).mean(), fs.pooledSegment(), (double) sameSegments / segments, (double) sameClips / clips);
    }

    /** Each clip's summed segment probabilities: its argmax is the clip prediction (the mean's). */
    private static double[][] clipSums(float[][] p, SegmentDataset data) {
        double[][] sum = new double[data.clipCount()][p[0].length];
        for (int s = 0; s < p.length; s++) for (int c = 0; c < p[s].length; c++) sum[data.clipOf(s)][c] += p[s][c];
        return sum;
    }

    private static String archLabel(List<String> archs) {
        java.util.Set<String> distinct = new java.util.LinkedHashSet<>(archs);
        return distinct.size() == 1 ? distinct.iterator().next() : distinct.size() + " architectures";
    }

    private static float[][][] averageFolds(float[][][][] probs, int[] members, int folds) {
        float[][][] mean = new float[folds][][];
        for (int f = 0; f < folds; f++) mean[f] = average(probs, members, f);
        return mean;
    }

    /** Mean over the given members of fold f's segment probabilities. */
    static float[][] average(float[][][][] probs, int[] members, int f) {
        float[][] first = probs[members[0]][f];
        float[][] mean = new float[first.length][first[0].length];
        for (int i : members) {
            for (int s = 0; s < mean.length; s++) for (int c = 0; c < mean[s].length; c++) mean[s][c] += probs[i][f][s][c] / members.length;
        }
        return mean;
    }

    /** Every member's fold assignment, which must be one and the same: an ensemble is only scored on folds none of its members saw. */
    static Folds sameFolds(List<Path> members) throws IOException {
        Folds first = null;
        for (Path w : members) {
            Path file = w.resolve(CvBenchmark.FOLDS_FILE);
            if (!Files.isRegularFile(file)) throw new IOException(file + ": missing; run genre bench cv with --output <name>.json for this member first");
            Folds f = Folds.read(file);
            if (first == null) first = f;
            else if (f.folds() != first.folds() || !f.clips().equals(first.clips())) {
                throw new IOException(file + ": fold assignment (seed " + f.seed() + ") differs from " + members.get(0).resolve(CvBenchmark.FOLDS_FILE)
                        + " (seed " + first.seed() + "); members must share --fold-seed");
            }
        }
        return first;
    }
}
