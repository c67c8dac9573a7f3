package dev.genre.search.strategy;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Regularized evolution; recorded with every search run.
 *
 * @param population children kept alive; the oldest dies when a new one joins a full population
 * @param sampleSize tournament size: the best of this many uniform picks is the parent
 */
@JsonPropertyOrder({"population", "sampleSize"})
public record EvolutionConfig(int population, int sampleSize) {
    public EvolutionConfig {
        if (population < 2) throw new IllegalArgumentException("evolution population must be at least 2");
        if (sampleSize < 1 || sampleSize > population) throw new IllegalArgumentException("evolution sample size must be in 1.." + population);
    }

    /** Real et al. used P = 100, S = 25 over 20k models; a search budget of hundreds wants a smaller, faster-turning population. */
    public static EvolutionConfig defaults() {
        return new EvolutionConfig(20, 5);
    }
}
