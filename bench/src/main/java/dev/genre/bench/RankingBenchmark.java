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
 * set of children (the skeleton as designed, the fewest- and most-MAC children of 4000 random draws, and
 * random ones) is trained stand-alone with the default recipe on the dataset's train split and scored on its
 * validation split. A supernet of each space is trained on uniform children for a search-length number of
 * passes, and the same children are scored through its shared weights, batch norm recalibrated per child.
 * Kendall's tau and Spearman's rho between the two accuracy lists say how well the supernet ranks.
 *
 * <p>The children are drawn from the elastic space, which both spaces contain, so each supernet scores the
 * same networks. Stand-alone results and supernet runs are kept in the work folder and reused on a rerun.
 */
public final class RankingBenchmark {
    public record Config(Path dataset, Path work, int children, int standaloneEpochs, int supernetPasses, List<String> spaces, int controllerSteps,
                         long seed) {}

    public record Child(String name, String key, long macs, long params, double standaloneSegment, double standaloneClip,
                        Map<String, double[]> supernet) {}

    public record SpaceResult(String space, int passes, double finalTrainAccuracy, double seconds, double tauSegment, double rhoSegment,
                              double tauClip, double rhoClip) {}

    private static final int POOL = 4000;

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
        Map<String, ArchChoice> children = children(elastic);

        // Stand-alone: each child trained alone, once; a rerun reads the kept result.
        Map<String, Evaluation> alone = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, ArchChoice> e : children.entrySet()) {
            NetworkSpec spec = elastic.decode(e.getValue());
            Path dir = cfg.work().resolve("standalone").resolve(e.getValue().key());
            Path result = dir.resolve("ranking-result.json");
            out.printf("stand-alone %d/%d: %s (%s)%n", ++i, children.size(), e.getKey(), e.getValue().key());
            // Kept work counts only if it trained this child on this dataset with this recipe (its train.json says so).
            boolean same = sameSetup(dir, spec, recipe);
            if (!same && Files.exists(dir)) AtomicFiles.deleteTree(dir);
            Evaluation v;
            if (same && Files.isRegularFile(result)) {
                v = Json.read(result, Evaluation.class);
            } else {
                v = new Trainer(recipe, Progress.auto()).train(cfg.dataset(), spec, dir, same, 0).valid();
                Json.write(result, v);
            }
            alone.put(e.getKey(), v);
        }

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
                    RankCorrelation.kendallTau(segment(alone), segment(byName)), RankCorrelation.spearmanRho(segment(alone), segment(byName)),
                    RankCorrelation.kendallTau(clip(alone), clip(byName)), RankCorrelation.spearmanRho(clip(alone), clip(byName))));
        }

        List<Child> rows = new ArrayList<>();
        for (Map.Entry<String, ArchChoice> e : children.entrySet()) {
            Cost cost = Cost.total(SpecResolver.resolve(elastic.decode(e.getValue())));
            Map<String, double[]> sn = new LinkedHashMap<>();
            for (String name : cfg.spaces()) {
                Evaluation v = shared.get(name).get(e.getKey());
                sn.put(name, new double[] {v.segmentAccuracy(), v.clipAccuracy()});
            }
            Evaluation a = alone.get(e.getKey());
            rows.add(new Child(e.getKey(), e.getValue().key(), cost.macs(), cost.params(), a.segmentAccuracy(), a.clipAccuracy(), sn));
        }
        print(rows, spaces);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "ranking");
        json.put("dataset", cfg.dataset().toAbsolutePath().normalize().toString());
        json.put("validSegments", alone.values().iterator().next().segments());
        json.put("validClips", alone.values().iterator().next().clips());
        json.put("standaloneRecipe", recipe);
        json.put("supernetPasses", cfg.supernetPasses());
        json.put("protocol", "stand-alone: each child trained alone on the train split with the default recipe, scored on the validation"
                + " split; supernet: one per space, trained on uniform children, the same children scored on the same validation split"
                + " through the shared weights with batch norm recalibrated per child; tau and rho between the two accuracy lists");
        json.put("spaces", spaces);
        json.put("children", rows);
        return json;
    }

    private boolean sameSetup(Path dir, NetworkSpec spec, TrainConfig recipe) throws IOException {
        Path f = dir.resolve(Trainer.TRAIN_JSON);
        if (!Files.isRegularFile(f)) return false;
        Trainer.Setup s = Json.read(f, Trainer.Setup.class);
        return s.dataset().equals(cfg.dataset().toAbsolutePath().normalize().toString()) && s.config().equals(recipe)
                && s.spec().blocks().equals(spec.blocks());
    }

    /** The reference, the MAC extremes of a random pool, then random children: {@code cfg.children()} distinct ones, by name. */
    private Map<String, ArchChoice> children(SearchSpace space) {
        SplittableRandom rng = new SplittableRandom(cfg.seed() * 31 + 0x5eed);
        ArchChoice smallest = null, largest = null;
        long fewest = Long.MAX_VALUE, most = -1;
        for (int i = 0; i < POOL; i++) {
            ArchChoice c = space.random(rng);
            long macs = Cost.total(SpecResolver.resolve(space.decode(c))).macs();
            if (macs < fewest) {
                fewest = macs;
                smallest = c;
            }
            if (macs > most) {
                most = macs;
                largest = c;
            }
        }
        Map<String, ArchChoice> out = new LinkedHashMap<>();
        Set<String> keys = new LinkedHashSet<>();
        for (Map.Entry<String, ArchChoice> e : List.of(Map.entry("reference", space.reference()), Map.entry("fewest-macs", smallest),
                Map.entry("most-macs", largest))) {
            if (keys.add(e.getValue().key())) out.put(e.getKey(), e.getValue());
        }
        for (int r = 1; out.size() < cfg.children(); ) {
            ArchChoice c = space.random(rng);
            if (keys.add(c.key())) out.put("random-" + r++, c);
        }
        return out;
    }

    private static double[] segment(Map<String, Evaluation> m) {
        return m.values().stream().mapToDouble(Evaluation::segmentAccuracy).toArray();
    }

    private static double[] clip(Map<String, Evaluation> m) {
        return m.values().stream().mapToDouble(Evaluation::clipAccuracy).toArray();
    }

    private void print(List<Child> rows, List<SpaceResult> spaces) {
        StringBuilder h = new StringBuilder("| child | MMACs | params | alone seg | alone clip |"), sep = new StringBuilder("|---|---|---|---|---|");
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
    }
}
