package dev.genre.search.strategy;

import dev.genre.search.space.ArchChoice;
import dev.genre.search.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A search loop on a synthetic reward that a strategy can fail: the fraction of decisions equal
 * to a hidden target child (0.39 on average for a uniform child of the MnasNet space). Each step
 * draws a training child, then proposes, scores and observes one, all with that step's own
 * generator; every {@value #ROUND} steps end a round. A run can resume at any round's end, as the
 * real loop resumes at a pass's end.
 */
final class SyntheticSearch {
    static final SearchSpace SPACE = SearchSpace.mobileNetV3Small(128, 128, 8);

    static final int ROUND = 5;

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
            if ((i + 1) % ROUND == 0) s.endRound();
        }
        return steps;
    }

    /**
     * Rounds as the real loop runs them: {@code perRound} proposals scored on one validation minibatch, then the next
     * round. The observed reward mimics a supernet's (measured on GTZAN): a child's quality spread thin
     * ({@code scale} times the hit fraction, about 0.03 between uniform children at scale 0.4), a shift shared by
     * every child of a round (minibatch difficulty and the supernet's state, sd {@code shiftSd}: 0.08-0.1 between
     * passes) and binomial-like noise per child ({@code noiseSd}). Returns the true hit fraction of every proposal.
     */
    List<Step> runRounds(SearchStrategy s, int rounds, int perRound, double scale, double shiftSd, double noiseSd, long seed) {
        List<Step> steps = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + round);
            double shift = shiftSd * gaussian(rng);
            for (int i = 0; i < perRound; i++) {
                ArchChoice child = s.propose(rng);
                double hits = reward(child);
                s.observe(child, 0.3 + scale * hits + shift + noiseSd * gaussian(rng));
                steps.add(new Step(child.key(), hits));
            }
            s.endRound();
        }
        return steps;
    }

    private static double gaussian(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    static double meanReward(List<Step> steps, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) sum += steps.get(i).reward();
        return sum / (to - from);
    }
}
