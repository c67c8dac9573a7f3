package dev.genre.search.nas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParetoPlotTest {
    static ChildResult child(String key, double acc, double ms) {
        return new ChildResult(1, 0, key, new int[0], acc, ms, 0, 0, 0);
    }

    @Test
    void frontKeepsOnlyUndominatedChildren() {
        List<ChildResult> all = List.of(child("slow-good", 0.9, 5), child("fast-bad", 0.5, 1), child("dominated", 0.6, 4),
                child("mid", 0.7, 2), child("tie-slower", 0.7, 3));
        List<String> front = ParetoPlot.front(all).stream().map(ChildResult::key).toList();
        assertEquals(List.of("fast-bad", "mid", "slow-good"), front);
    }

    @Test
    void mnasRewardFollowsThePaper() {
        MnasReward soft = MnasReward.soft(10);
        assertEquals(0.8, soft.of(0.8, 10), 1e-12);
        assertEquals(0.8 * Math.pow(2, -0.07), soft.of(0.8, 20), 1e-12); // twice as slow: ~4.7% less reward
        assertTrue(soft.of(0.8, 5) > 0.8); // faster than the target earns a bonus under the soft constraint
        MnasReward hard = MnasReward.hard(10);
        assertEquals(0.8, hard.of(0.8, 5), 1e-12);
        assertEquals(0.4, hard.of(0.8, 20), 1e-12);
    }

    @Test
    void writesAPng(@TempDir Path tmp) throws Exception {
        Path png = tmp.resolve("pareto.png");
        ParetoPlot.write(png, List.of(child("a", 0.5, 1), child("b", 0.7, 2)), 1.5, List.of(new ParetoPlot.Marker("baseline", 2.5, 0.6)));
        byte[] b = Files.readAllBytes(png);
        assertTrue(b.length > 1000 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G');
    }
}
