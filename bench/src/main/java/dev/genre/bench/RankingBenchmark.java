package dev.genre.bench;

import ai.djl.ndarray.NDManager;
import dev.genre.io.AtomicFiles;
import dev.genre.io.Json;
import dev.genre.run.Progress;
import dev.genre.search.nas.MnasReward;
import dev.genre.search.nas.RankCorrelation;
import dev.genre.search.nas.SearchConfig;
import dev.genre.search.nas.SearchRun;
import dev.genre.search.nas.SearchState;
import dev.genre.search.space.ArchChoice;
import dev.genre.search.space.SearchSpace;
import dev.genre.search.spec.Cost;
import dev.genre.search.spec.NetworkSpec;
import dev.genre.search.spec.SpecResolver;
import dev.genre.search.strategy.SearchStrategies;
import dev.genre.search.train.Evaluation;
import dev.genre.search.train.TrainConfig;
import dev.genre.search.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code genre bench ranking}: does weight sharing rank architectures as training them alone does? A fixed
 * set of children spread over the space (the skeleton as designed, the fewest- and most-MAC children of the
 * space, and random children tilted from one extreme to the other) is trained stand-alone with the
 * default recipe on the dataset's train split and scored on its validation split, once per seed. A supernet
 * of each space is trained on uniform children for a search-length number of passes, and the same children
 * are scored through its shared weights, batch norm recalibrated per child. Kendall's tau and Spearman's rho
 * between the supernet's list and the stand-alone mean say how well the supernet ranks; tau between two
 * stand-alone seeds says how well this data can rank at all (no supernet can agree with the stand-alone
 * list more than the list agrees with itself).
 *
 * <p>The children are drawn from the elastic space, which both spaces contain, so each supernet scores the
 * same networks. Stand-alone results and supernet runs are kept in the work folder and reused on a rerun.
 */
public final class RankingBenchmark {
    public record Config(Path dataset, Path work, int children, int standaloneEpochs, int standaloneSeeds, int supernetPasses, List<String> spaces,
                         int controllerSteps, long seed) {
        public Config {
            if (children < 3) throw new IllegalArgumentException("ranking needs at least 3 children, got " + children);
            if (standaloneSeeds < 1) throw new IllegalArgumentException("ranking needs at least 1 stand-alone seed, got " + standaloneSeeds);
        }
    }

    /** One child; stand-alone accuracies are the mean over the seeds, {@code standaloneRuns} each seed's (segment, clip). */
    public record Child(String name, String key, long macs, long params, double standaloneSegment, double standaloneClip,
                        List<double[]> standaloneRuns, Map<String, double[]> supernet) {}

    /** Agreement of the stand-alone lists of different seeds with each other (mean over pairs of seeds): the ceiling of any ranking. */
    public record SeedAgreement(double tauSegment, double rhoSegment, double tauClip, double rhoClip) {}

    public record SpaceResult(String space, int passes, double finalTrainAccuracy, double seconds, double tauSegment, double rhoSegment,
                              double tauClip, double rhoClip) {}

    private final Config cfg;
    private final PrintStream out;

    public RankingBenchmark(Config cfg, PrintStream out) {
        this.cfg = cfg;
        this.out = out;
    }

    public Map<String, Object> run() throws IOException {
        dev.genre.dataset.Manifest manifest = dev.genre.dataset.Manifest.read(cfg.dataset());
        TrainConfig recipe = TrainConfig.defaults();
        recipe = recipe.with(cfg.standaloneEpochs(), recipe.batch(), recipe.lr(), cfg.seed());
        SearchSpace elastic = SearchSpace.named(SearchSpace.ELASTIC, manifest.mel().nMels(), recipe.segmentFrames(), manifest.genres().size());
        Map<String, ArchChoice> children = children(elastic, cfg.children(), cfg.seed());

        // Stand-alone: each child trained alone once per seed; a rerun reads the kept results.
        List<Map<String, Evaluation>> runs = new ArrayList<>();
        int total = children.size() * cfg.standaloneSeeds(), i = 0;
        for (int r = 0; r < cfg.standaloneSeeds(); r++) {
            TrainConfig seeded = recipe.with(recipe.epochs(), recipe.batch(), recipe.lr(), cfg.seed() + r);
            Map<String, Evaluation> run = new LinkedHashMap<>();
            for (Map.Entry<String, ArchChoice> e : children.entrySet()) {
                NetworkSpec spec = elastic.decode(e.getValue());
                Path dir = cfg.work().resolve("standalone").resolve(e.getValue().key() + "-s" + seeded.seed());
                out.printf("stand-alone %d/%d: %s (%s), seed %d%n", ++i, total, e.getKey(), e.getValue().key(), seeded.seed());
                run.put(e.getKey(), standalone(spec, seeded, dir));
            }
            runs.add(run);
        }
        Map<String, double[]> alone = new LinkedHashMap<>(); // name -> mean (segment, clip) over seeds
        for (String name : children.keySet()) {
            double seg = 0, clip = 0;
            for (Map<String, Evaluation> run : runs) {
                seg += run.get(name).segmentAccuracy() / runs.size();
                clip += run.get(name).clipAccuracy() / runs.size();
            }
            alone.put(name, new double[] {seg, clip});
        }
        SeedAgreement seeds = runs.size() < 2 ? null : seedAgreement(runs);

        // Supernets: one per space, uniform children every pass (the search's warm-up regime throughout).
        Map<String, Map<String, Evaluation>> shared = new LinkedHashMap<>();
        List<SpaceResult> spaces = new ArrayList<>();
        for (String name : cfg.spaces()) {
            Path run = cfg.work().resolve("supernet-" + name);
            SearchConfig sc = SearchConfig.defaults("random", MnasReward.soft(1), cfg.seed()).withEpochs(cfg.supernetPasses())
                    .withControllerSteps(cfg.controllerSteps()).withUniformWarmup(0).withSpace(name).withTopK(1);
            out.printf("supernet of the %s space: %d passes%n", name, cfg.supernetPasses());
            SearchRun.Outcome o;
            try (NDManager m = NDManager.newBaseManager()) {
                boolean resume = Files.isRegularFile(run.resolve("checkpoint/state.json"));
                o = new SearchRun(sc, s -> 1.0, Progress.auto()).run(cfg.dataset(), run, resume,
                        space -> SearchStrategies.create("random", space, sc.enas(), sc.evolution(), m), m, 0);
            }
            SearchSpace space = o.setup().space();
            List<ArchChoice> translated = children.values().stream().map(c -> space.translate(c, elastic)).toList();
            List<Evaluation> scores;
            try (NDManager m = NDManager.newBaseManager()) {
                scores = SearchRun.scoreThroughSupernet(run, translated, m);
            }
            Map<String, Evaluation> byName = new LinkedHashMap<>();
            int k = 0;
            for (String child : children.keySet()) byName.put(child, scores.get(k++));
            shared.put(name, byName);
            List<SearchState.EpochSummary> h = o.history();
            spaces.add(new SpaceResult(name, h.size(), h.get(h.size() - 1).trainAccuracy(), o.seconds(),
                    RankCorrelation.kendallTau(column(alone, 0), segment(byName)), RankCorrelation.spearmanRho(column(alone, 0), segment(byName)),
                    RankCorrelation.kendallTau(column(alone, 1), clip(byName)), RankCorrelation.spearmanRho(column(alone, 1), clip(byName))));
        }

        List<Child> rows = new ArrayList<>();
        for (Map.Entry<String, ArchChoice> e : children.entrySet()) {
            Cost cost = Cost.total(SpecResolver.resolve(elastic.decode(e.getValue())));
            Map<String, double[]> sn = new LinkedHashMap<>();
            for (String name : cfg.spaces()) {
                Evaluation v = shared.get(name).get(e.getKey());
                sn.put(name, new double[] {v.segmentAccuracy(), v.clipAccuracy()});
            }
            double[] a = alone.get(e.getKey());
            List<double[]> each = runs.stream().map(run -> new double[] {run.get(e.getKey()).segmentAccuracy(), run.get(e.getKey()).clipAccuracy()}).toList();
            rows.add(new Child(e.getKey(), e.getValue().key(), cost.macs(), cost.params(), a[0], a[1], each, sn));
        }
        print(rows, spaces, seeds);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "ranking");
        json.put("dataset", cfg.dataset().toAbsolutePath().normalize().toString());
        json.put("validSegments", runs.get(0).values().iterator().next().segments());
        json.put("validClips", runs.get(0).values().iterator().next().clips());
        json.put("standaloneRecipe", recipe);
        json.put("standaloneSeeds", cfg.standaloneSeeds());
        json.put("seedAgreement", seeds);
        json.put("supernetPasses", cfg.supernetPasses());
        json.put("protocol", "stand-alone: each child trained alone on the train split with the default recipe, once per seed (seeds"
                + " seed..seed+N-1), scored on the validation split, the mean over seeds ranked; seedAgreement: tau and rho between the"
                + " seeds' lists (mean over pairs), the most any ranking can agree with a list this noisy; supernet: one per space,"
                + " trained on uniform children, the same children scored on the same validation split through the shared weights"
                + " with batch norm recalibrated per child; tau and rho between the supernet's list and the stand-alone mean");
        json.put("spaces", spaces);
        json.put("children", rows);
        return json;
    }

    private Evaluation standalone(NetworkSpec spec, TrainConfig recipe, Path dir) throws IOException {
        Path result = dir.resolve("ranking-result.json");
        // Kept work counts only if it trained this child on this dataset with this recipe and seed (its train.json says so).
        boolean same = sameSetup(dir, spec, recipe);
        if (!same && Files.exists(dir)) AtomicFiles.deleteTree(dir);
        if (same && Files.isRegularFile(result)) return Json.read(result, Evaluation.class);
        Evaluation v = new Trainer(recipe, Progress.auto()).train(cfg.dataset(), spec, dir, same, 0).valid();
        Json.write(result, v);
        return v;
    }

    private static SeedAgreement seedAgreement(List<Map<String, Evaluation>> runs) {
        double[] sum = new double[4];
        int pairs = 0;
        for (int a = 0; a < runs.size(); a++) {
            for (int b = a + 1; b < runs.size(); b++, pairs++) {
                sum[0] += RankCorrelation.kendallTau(segment(runs.get(a)), segment(runs.get(b)));
                sum[1] += RankCorrelation.spearmanRho(segment(runs.get(a)), segment(runs.get(b)));
                sum[2] += RankCorrelation.kendallTau(clip(runs.get(a)), clip(runs.get(b)));
                sum[3] += RankCorrelation.spearmanRho(clip(runs.get(a)), clip(runs.get(b)));
            }
        }
        return new SeedAgreement(sum[0] / pairs, sum[1] / pairs, sum[2] / pairs, sum[3] / pairs);
    }

    private boolean sameSetup(Path dir, NetworkSpec spec, TrainConfig recipe) throws IOException {
        Path f = dir.resolve(Trainer.TRAIN_JSON);
        if (!Files.isRegularFile(f)) return false;
        Trainer.Setup s = Json.read(f, Trainer.Setup.class);
        return s.dataset().equals(cfg.dataset().toAbsolutePath().normalize().toString()) && s.config().equals(recipe)
                && s.spec().blocks().equals(spec.blocks());
    }

    /**
     * {@code n} distinct children spread over the space: the reference, the fewest- and most-MAC children of the
     * space, then random children tilted towards one extreme or the other. Child q of m takes each decision from
     * the nearer extreme with probability |2f - 1|, f = (q + 0.5) / m, and uniformly otherwise, so the middle ones
     * are plain uniform draws and the outer ones near the extremes. Uniform draws alone crowd around the median
     * cost (18-39 MMACs at the 2nd-98th percentile of the elastic space), where true accuracies differ less than
     * one validation split can resolve.
     */
    static Map<String, ArchChoice> children(SearchSpace space, int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed * 31 + 0x5eed);
        ArchChoice start = space.random(rng), fewest = extreme(space, start, false), most = extreme(space, start, true);
        Map<String, ArchChoice> out = new LinkedHashMap<>();
        Set<String> keys = new LinkedHashSet<>();
        for (Map.Entry<String, ArchChoice> e : List.of(Map.entry("reference", space.reference()), Map.entry("fewest-macs", fewest),
                Map.entry("most-macs", most))) {
            if (out.size() < n && keys.add(e.getValue().key())) out.put(e.getKey(), e.getValue());
        }
        int[] sizes = space.decisionSizes(), low = fewest.tokens(), high = most.tokens();
        int need = n - out.size();
        for (int q = 0; q < need; q++) {
            double f = (q + 0.5) / need, pull = Math.abs(2 * f - 1);
            int[] toward = f < 0.5 ? low : high;
            for (int attempt = 0; ; attempt++) {
                int[] t = new int[sizes.length];
                for (int d = 0; d < t.length; d++) t[d] = rng.nextDouble() < pull ? toward[d] : rng.nextInt(sizes[d]);
                ArchChoice c = ArchChoice.ofTokens(t);
                if (keys.add(c.key())) {
                    out.put(String.format("tilt-%.2f", f), c);
                    break;
                }
                if (attempt > 1000) throw new IllegalStateException("no new child near tilt " + f + " after 1000 draws");
            }
        }
        return out;
    }

    /** Coordinate descent from {@code start} on each decision in turn until no single change lowers (or raises) the MACs. */
    static ArchChoice extreme(SearchSpace space, ArchChoice start, boolean most) {
        int[] sizes = space.decisionSizes(), t = start.tokens();
        long best = macs(space, start);
        for (boolean changed = true; changed; ) {
            changed = false;
            for (int d = 0; d < t.length; d++) {
                int keep = t[d];
                for (int o = 0; o < sizes[d]; o++) {
                    if (o == keep) continue;
                    t[d] = o;
                    long m = macs(space, ArchChoice.ofTokens(t));
                    if (most ? m > best : m < best) {
                        best = m;
                        keep = o;
                        changed = true;
                    }
                }
                t[d] = keep;
            }
        }
        return ArchChoice.ofTokens(t);
    }

    static long macs(SearchSpace space, ArchChoice c) {
        return Cost.total(SpecResolver.resolve(space.decode(c))).macs();
    }

    private static double[] column(Map<String, double[]> m, int k) {
        return m.values().stream().mapToDouble(v -> v[k]).toArray();
    }

    private static double[] segment(Map<String, Evaluation> m) {
        return m.values().stream().mapToDouble(Evaluation::segmentAccuracy).toArray();
    }

    private static double[] clip(Map<String, Evaluation> m) {
        return m.values().stream().mapToDouble(Evaluation::clipAccuracy).toArray();
    }

    private void print(List<Child> rows, List<SpaceResult> spaces, SeedAgreement seeds) {
        StringBuilder h = new StringBuilder("| child | MMACs | params | alone seg (mean of seeds) | alone clip |"), sep = new StringBuilder("|---|---|---|---|---|");
        for (SpaceResult s : spaces) {
            h.append(" ").append(s.space()).append(" seg | ").append(s.space()).append(" clip |");
            sep.append("---|---|");
        }
        out.println(h);
        out.println(sep);
        for (Child c : rows) {
            StringBuilder r = new StringBuilder(String.format("| %s | %.1f | %,d | %.3f | %.3f |", c.name(), c.macs() / 1e6, c.params(),
                    c.standaloneSegment(), c.standaloneClip()));
            for (SpaceResult s : spaces) {
                double[] v = c.supernet().get(s.space());
                r.append(String.format(" %.3f | %.3f |", v[0], v[1]));
            }
            out.println(r);
        }
        out.println();
        out.println("| space | passes | supernet train acc | minutes | tau (seg) | rho (seg) | tau (clip) | rho (clip) |");
        out.println("|---|---|---|---|---|---|---|---|");
        for (SpaceResult s : spaces) {
            out.printf("| %s | %d | %.3f | %.1f | %.2f | %.2f | %.2f | %.2f |%n", s.space(), s.passes(), s.finalTrainAccuracy(), s.seconds() / 60,
                    s.tauSegment(), s.rhoSegment(), s.tauClip(), s.rhoClip());
        }
        if (seeds != null) {
            out.printf("| stand-alone seed vs seed (the ceiling) | | | | %.2f | %.2f | %.2f | %.2f |%n", seeds.tauSegment(), seeds.rhoSegment(),
                    seeds.tauClip(), seeds.rhoClip());
        }
    }
}
