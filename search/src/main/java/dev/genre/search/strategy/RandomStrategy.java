package dev.genre.search.strategy;

import dev.genre.search.space.ArchChoice;
import dev.genre.search.space.SearchSpace;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Random search: uniform children both to train the shared weights on (single-path one-shot
 * training, as in SPOS) and to score. Stateless, so save and load have nothing to do.
 */
public final class RandomStrategy implements SearchStrategy {
    private final SearchSpace space;

    public RandomStrategy(SearchSpace space) {
        this.space = space;
    }

    @Override
    public String name() {
        return "random";
    }

    @Override
    public ArchChoice sampleForTraining(SplittableRandom rng) {
        return space.random(rng);
    }

    @Override
    public ArchChoice propose(SplittableRandom rng) {
        return space.random(rng);
    }

    @Override
    public void observe(ArchChoice child, double reward) {}

    @Override
    public double entropy() {
        return Double.NaN;
    }

    @Override
    public void save(Path dir) {}

    @Override
    public void load(Path dir) {}
}
