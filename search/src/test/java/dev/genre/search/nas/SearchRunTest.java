package dev.genre.search.nas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.genre.audio.mel.MelParams;
import dev.genre.audio.synth.SyntheticDataset;
import dev.genre.dataset.DatasetPrep;
import dev.genre.dataset.PrepOptions;
import dev.genre.dataset.SplitSpec;
import dev.genre.io.Json;
import dev.genre.run.Progress;
import dev.genre.search.space.ArchChoice;
import dev.genre.search.space.SearchSpace;
import dev.genre.search.spec.Cost;
import dev.genre.search.spec.NetworkSpec;
import dev.genre.search.spec.SpecResolver;
import dev.genre.search.strategy.SearchStrategy;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The search loop on real synthesized clips with real libtorch: outputs, and resume continuing exactly. */
class SearchRunTest {
    @TempDir
    static Path tmp;
    static Path data;

    /** Latency stand-in for the loop's tests: proportional to MACs (the device profile is deploy-mobile's). */
    static final ToDoubleFunction<NetworkSpec> MACS_LATENCY = s -> Cost.total(SpecResolver.resolve(s)).macs() / 1e7;

    @BeforeAll
    static void dataset() throws Exception {
        Path clips = tmp.resolve("clips");
        data = tmp.resolve("data");
        SyntheticDataset.write(clips, new SyntheticDataset.Options(3, 6, 5, 1), Progress.none());
        new DatasetPrep(new PrepOptions(MelParams.defaults(), SplitSpec.parse("0.5,0.25,0.25", 0), 128, 2), Progress.none(),
                new PrintStream(PrintStream.nullOutputStream())).run(clips, data);
    }

    static SearchConfig config() {
        SearchConfig c = SearchConfig.defaults("uniform", MnasReward.soft(1.0), 3).withEpochs(2).withControllerSteps(3);
        return new SearchConfig(c.strategy(), c.epochs(), 0, c.controllerSteps(), 8, 1, 2, c.reward(),
                c.train().with(2, 8, 3e-3, 3), c.enas(), c.evolution());
    }

    /** Uniform children; stateless, so save/load have nothing to keep. */
    static final Function<SearchSpace, SearchStrategy> UNIFORM = space -> new SearchStrategy() {
        public String name() { return "uniform"; }
        public ArchChoice sampleForTraining(SplittableRandom rng) { return space.random(rng); }
        public ArchChoice propose(SplittableRandom rng) { return space.random(rng); }
        public void observe(ArchChoice child, double reward) {}
        public double entropy() { return Double.NaN; }
        public void save(Path dir) {}
        public void load(Path dir) {}
    };

    @Test
    void resumedSearchEqualsUninterruptedSearch() throws Exception {
        SearchRun.Outcome straight, resumed;
        try (NDManager m = NDManager.newBaseManager()) {
            straight = new SearchRun(config(), MACS_LATENCY, Progress.none()).run(data, tmp.resolve("a"), false, UNIFORM, m, 0);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            SearchRun.Outcome partial = new SearchRun(config(), MACS_LATENCY, Progress.none()).run(data, tmp.resolve("b"), false, UNIFORM, m, 1);
            assertTrue(partial.finalists().isEmpty(), "stopped after one pass: no finalists yet");
        }
        try (NDManager m = NDManager.newBaseManager()) {
            resumed = new SearchRun(config(), MACS_LATENCY, Progress.none()).run(data, tmp.resolve("b"), true, UNIFORM, m, 0);
        }
        // A worker whose memory limit is always exceeded hands over after every pass; the runs that
        // continue from its checkpoints end where the uninterrupted search ends.
        Path c = tmp.resolve("c");
        for (int call = 1; call <= 3; call++) {
            try (NDManager m = NDManager.newBaseManager()) {
                SearchRun.Outcome part = new SearchRun(config(), MACS_LATENCY, Progress.none()).asWorker(1).run(data, c, call > 1, UNIFORM, m, 0);
                assertTrue(part.finalists().isEmpty(), "a worker runs passes only");
                assertEquals(Math.min(call, 2), part.history().size(), "one pass per call, then nothing left");
                assertEquals(new SearchRun.Passes(Math.min(call, 2), 2), SearchRun.passes(c));
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            SearchRun.Outcome handedOver = new SearchRun(config(), MACS_LATENCY, Progress.none()).run(data, c, true, UNIFORM, m, 0);
            assertEquals(straight.children().stream().map(r -> r.key() + " " + r.accuracy()).toList(),
                    handedOver.children().stream().map(r -> r.key() + " " + r.accuracy()).toList());
            assertEquals(straight.finalists().get(0).key(), handedOver.finalists().get(0).key());
        }

        assertEquals(6, straight.children().size());
        assertEquals(straight.children().size(), resumed.children().size());
        for (int i = 0; i < straight.children().size(); i++) {
            assertEquals(straight.children().get(i).key(), resumed.children().get(i).key());
            assertEquals(straight.children().get(i).accuracy(), resumed.children().get(i).accuracy(), 1e-9, "child " + i);
        }
        assertEquals(straight.history().get(1).trainLoss(), resumed.history().get(1).trainLoss(), 1e-6);
        assertEquals(straight.best().key(), resumed.best().key());

        // Finalists are distinct, re-scored on the whole validation split and sorted by reward.
        assertEquals(2, straight.finalists().size());
        assertTrue(straight.finalists().get(0).reward() >= straight.finalists().get(1).reward());
        for (SearchRun.Finalist f : straight.finalists()) {
            assertEquals(MnasReward.soft(1.0).of(f.segmentMacroAccuracy(), f.latencyMs()), f.reward(), 1e-12, "the default reward reads macro accuracy");
        }
        NetworkSpec best = NetworkSpec.read(tmp.resolve("a").resolve(SearchRun.BEST_SPEC));
        assertEquals(straight.best().spec(), best);
        var json = Json.MAPPER.readTree(tmp.resolve("a").resolve(SearchRun.SEARCH_JSON).toFile());
        assertTrue(json.get("complete").asBoolean());
        assertEquals(6, json.get("children").size());
        assertTrue(Files.isRegularFile(tmp.resolve("a/checkpoint/state.json")));

        // A run whose checkpoints hold another supernet layout (kernels not shared, before layout 2) is neither resumed nor
        // a warm start: its weights would not load into this supernet.
        SearchRun.Setup setup = SearchRun.setupOf(tmp.resolve("a"));
        assertEquals(dev.genre.search.supernet.Supernet.LAYOUT, setup.supernetLayout());
        assertTrue(SearchRun.warmStartState(tmp.resolve("a"), setup.space(), setup.genres()) != null);
        var old = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(tmp.resolve("a").resolve(SearchRun.CONFIG).toFile());
        old.remove("supernetLayout"); // as written before the field existed
        Json.MAPPER.writeValue(tmp.resolve("a").resolve(SearchRun.CONFIG).toFile(), old);
        assertEquals(null, SearchRun.warmStartState(tmp.resolve("a"), setup.space(), setup.genres()));
        try (NDManager m = NDManager.newBaseManager()) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> new SearchRun(config(), MACS_LATENCY, Progress.none()).run(data, tmp.resolve("a"), true, UNIFORM, m, 0));
            assertTrue(e.getMessage().contains("supernet layout 1"), e.getMessage());
        }
    }
    @Test
    void warmUpPassesTrainOnUniformChildrenAndLeaveTheStrategyIdle() throws Exception {
        int[] calls = new int[3]; // sampleForTraining, propose, observe
        Function<SearchSpace, SearchStrategy> counting = space -> new SearchStrategy() {
            public String name() { return "counting"; }
            public ArchChoice sampleForTraining(SplittableRandom rng) { calls[0]++; return space.random(rng); }
            public ArchChoice propose(SplittableRandom rng) { calls[1]++; return space.random(rng); }
            public void observe(ArchChoice child, double reward) { calls[2]++; }
            public double entropy() { return Double.NaN; }
            public void save(Path dir) {}
            public void load(Path dir) {}
        };
        SearchConfig cfg = config().withUniformWarmup(0.5);
        SearchRun.Outcome o;
        try (NDManager m = NDManager.newBaseManager()) {
            SearchRun.Outcome first = new SearchRun(cfg, MACS_LATENCY, Progress.none()).run(data, tmp.resolve("w"), false, counting, m, 1);
            assertTrue(first.history().get(0).uniform(), "pass 1 of 2 is the warm-up");
            assertEquals(0, calls[0] + calls[1] + calls[2], "the strategy is not asked during the warm-up");
            assertTrue(first.children().isEmpty());
            o = new SearchRun(cfg, MACS_LATENCY, Progress.none()).run(data, tmp.resolve("w"), true, counting, m, 0);
        }
        SearchState.EpochSummary warm = o.history().get(0), after = o.history().get(1);
        assertTrue(Double.isNaN(warm.meanReward()) && !after.uniform() && Double.isFinite(after.meanReward()));
        assertEquals(cfg.controllerSteps(), calls[1]);
        assertEquals(cfg.controllerSteps(), calls[2]);
        assertTrue(calls[0] > 0, "pass 2 trains on the strategy's children");
        for (SearchState.EpochSummary h : o.history()) {
            assertEquals(4, h.panelAccuracy().size(), "the reference child and three fixed random ones");
            for (double a : h.panelAccuracy()) assertTrue(a >= 0 && a <= 1, "accuracy " + a);
        }
        assertTrue(java.nio.file.Files.size(tmp.resolve("w").resolve(SearchCurves.FILE)) > 1000, "search-curves.png");
    }

    @Test
    void aBudgetThatEndsInsideTheWarmUpStillGivesFinalists() throws Exception {
        SearchConfig cfg = config().withEpochs(1000).withTimeBudget(1); // one pass fits: planned falls to 1, pass 1 was uniform
        SearchRun.Outcome o;
        try (NDManager m = NDManager.newBaseManager()) {
            o = new SearchRun(cfg, MACS_LATENCY, Progress.none()).run(data, tmp.resolve("short"), false, UNIFORM, m, 0);
        }
        assertTrue(o.history().stream().allMatch(SearchState.EpochSummary::uniform), "every pass was warm-up");
        assertEquals(cfg.controllerSteps(), o.children().size(), "one round of proposals scored after the passes");
        assertTrue(!o.finalists().isEmpty(), "finalists to measure");
    }
}
