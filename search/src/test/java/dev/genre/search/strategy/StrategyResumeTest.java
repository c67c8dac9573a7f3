package dev.genre.search.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real libtorch: a strategy saved after N steps and loaded into a fresh instance continues exactly as an uninterrupted run. */
class StrategyResumeTest {
    static final int N = 30, M = 20; // past the evolution population of 20, so tournaments and mutations are covered

    @TempDir
    Path tmp;

    @Test
    void resumedRunsEqualUninterruptedRuns() throws Exception {
        SyntheticSearch task = new SyntheticSearch(4);
        for (String name : SearchStrategies.NAMES) {
            try (NDManager m = NDManager.newBaseManager()) {
                List<SyntheticSearch.Step> straight, resumed = new ArrayList<>();
                try (SearchStrategy s = create(name, m)) {
                    straight = task.run(s, 0, N + M, 9);
                }
                Path dir = tmp.resolve(name);
                try (SearchStrategy s = create(name, m)) {
                    resumed.addAll(task.run(s, 0, N, 9));
                    s.save(dir);
                    task.run(s, N, N + 5, 9); // steps after the save are lost, as when a run is killed
                }
                try (SearchStrategy s = create(name, m)) {
                    s.load(dir);
                    resumed.addAll(task.run(s, N, N + M, 9));
                }
                assertEquals(straight, resumed, name);
            }
        }
    }

    @Test
    void enasSavesAndLoadsBeforeAnyReward() throws Exception {
        try (NDManager m = NDManager.newBaseManager(); EnasStrategy s = (EnasStrategy) create("enas", m)) {
            s.save(tmp);
            s.save(tmp); // a second save replaces the arrays file rather than adding one
            s.load(tmp);
            assertTrue(Double.isNaN(s.baseline()));
            try (var files = Files.list(tmp)) {
                assertEquals(2, files.count());
            }
        }
    }

    @Test
    void unknownStrategyNamesTheKnownOnes() {
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> create("bayes", m));
            assertTrue(e.getMessage().contains("enas, random, evolution"), e.getMessage());
        }
    }

    private static SearchStrategy create(String name, NDManager m) {
        return SearchStrategies.create(name, SyntheticSearch.SPACE, EnasConfig.defaults(), EvolutionConfig.defaults(), m);
    }
}
