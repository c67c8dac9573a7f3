package dev.genre.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genre.search.space.ArchChoice;
import dev.genre.search.space.SearchSpace;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The children {@code genre bench ranking} trains: distinct, seeded, the space's MAC extremes beyond any random
 * draw, and tilted children that reach from near the one to near the other.
 */
class RankingChildrenTest {
    private static final SearchSpace SPACE = SearchSpace.named(SearchSpace.ELASTIC, 128, 128, 10);

    @Test
    void childrenAreDistinctSeededAndSpreadOverTheSpace() {
        Map<String, ArchChoice> c = RankingBenchmark.children(SPACE, 12, 0);
        assertEquals(12, c.size());
        assertEquals(12, new HashSet<>(c.values().stream().map(ArchChoice::key).toList()).size(), "children are distinct");
        assertEquals(c.keySet().stream().toList(), RankingBenchmark.children(SPACE, 12, 0).keySet().stream().toList());
        assertEquals(c.values().stream().map(ArchChoice::key).toList(),
                RankingBenchmark.children(SPACE, 12, 0).values().stream().map(ArchChoice::key).toList(), "same seed, same children");
        assertTrue(!c.values().stream().map(ArchChoice::key).toList()
                .equals(RankingBenchmark.children(SPACE, 12, 1).values().stream().map(ArchChoice::key).toList()), "another seed, other children");
        assertEquals(SPACE.reference().key(), c.get("reference").key());

        // The extremes beat every one of 2000 random draws (a separate stream from the benchmark's pool).
        SplittableRandom rng = new SplittableRandom(99);
        long fewestDrawn = Long.MAX_VALUE, mostDrawn = 0;
        for (int i = 0; i < 2000; i++) {
            long m = RankingBenchmark.macs(SPACE, SPACE.random(rng));
            fewestDrawn = Math.min(fewestDrawn, m);
            mostDrawn = Math.max(mostDrawn, m);
        }
        long fewest = RankingBenchmark.macs(SPACE, c.get("fewest-macs")), most = RankingBenchmark.macs(SPACE, c.get("most-macs"));
        assertTrue(fewest <= fewestDrawn, fewest + " MACs vs the cheapest draw's " + fewestDrawn);
        assertTrue(most >= mostDrawn, most + " MACs vs the dearest draw's " + mostDrawn);

        // Spread: every child lies between the extremes, and the children tilted to the ends reach far beyond the
        // 2nd-98th percentile of uniform draws, where random picks crowd.
        List<Long> all = c.values().stream().map(x -> RankingBenchmark.macs(SPACE, x)).toList();
        for (long m : all) assertTrue(m >= fewest && m <= most, m + " outside " + fewest + ".." + most);
        long low = RankingBenchmark.macs(SPACE, c.get("tilt-0.06")), high = RankingBenchmark.macs(SPACE, c.get("tilt-0.94"));
        assertTrue(low < fewestDrawn + (mostDrawn - fewestDrawn) / 10, "low tilt " + low + " vs draws " + fewestDrawn + ".." + mostDrawn);
        assertTrue(high > mostDrawn, "high tilt " + high + " vs the dearest draw's " + mostDrawn);
    }
}
