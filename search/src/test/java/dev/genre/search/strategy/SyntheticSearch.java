package dev.genre.search.strategy;

import dev.genre.search.space.ArchChoice;
import dev.genre.search.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A search loop on a synthetic reward that a strategy can fail: the fraction of decisions equal
 * to a hidden target child (0.39 on average for a uniform child of the default space). Each step
 * draws a training child, then proposes, scores and observes one, all with that step's own
 * generator, so a run can resume at any step as the real loop does.
 */
final class SyntheticSearch {
    static final SearchSpace SPACE = SearchSpace.mobileNetV3Small(128, 128, 8);

    private final int[] target;

    SyntheticSearch(long seed) {
        target = SPACE.random(new SplittableRandom(seed)).tokens();
    }

    double reward(ArchChoice child) {
        int[] t = child.tokens();
        int hits = 0;
        for (int i = 0; i < t.length; i++) if (t[i] == target[i]) hits++;
        return hits / (double) t.length;
    }

    record Step(String proposal, double reward) {}

    List<Step> run(SearchStrategy s, int from, int to, long seed) {
        List<Step> steps = new ArrayList<>();
        for (int i = from; i < to; i++) {
            SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + i);
            s.sampleForTraining(rng);
            ArchChoice child = s.propose(rng);
            double r = reward(child);
            s.observe(child, r);
            steps.add(new Step(child.key(), r));
        }
        return steps;
    }

    static double meanReward(List<Step> steps, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) sum += steps.get(i).reward();
        return sum / (to - from);
    }
}
