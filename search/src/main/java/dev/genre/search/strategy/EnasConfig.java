package dev.genre.search.strategy;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The ENAS controller and its REINFORCE training; recorded with every search run.
 *
 * @param hidden        LSTM state size, also the size of the decision embeddings (as in ENAS)
 * @param temperature   logits are divided by it before the tanh squashing
 * @param tanhConstant  logits become {@code tanhConstant * tanh(logits / temperature)}: bounded logits cap how sure the
 *                      controller can get of one option (odds at most e^(2c)), so it keeps exploring instead of collapsing
 * @param beta1         Adam; ENAS uses 0 (no momentum: each REINFORCE sample is its own noisy step)
 * @param epsilon       Adam; ENAS uses 1e-3 (the advantages are standardised, so it no longer damps the steps)
 * @param initRange     weights start uniform in +-initRange (ENAS: 0.1), so the first samples are near uniform
 * @param seed          of the weight initialisation (sampling uses the search loop's generator)
 */
@JsonPropertyOrder({"hidden", "temperature", "tanhConstant", "lr", "beta1", "beta2", "epsilon", "entropyWeight",
        "initRange", "seed"})
public record EnasConfig(int hidden, double temperature, double tanhConstant, double lr, double beta1, double beta2, double epsilon,
                         double entropyWeight, double initRange, long seed) {
    public EnasConfig {
        if (hidden < 1) throw new IllegalArgumentException("controller hidden size must be positive");
        if (!(temperature > 0) || !(tanhConstant > 0)) throw new IllegalArgumentException("temperature and tanh constant must be positive");
        if (!(lr > 0)) throw new IllegalArgumentException("controller lr must be positive");
        if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1 || !(epsilon > 0)) throw new IllegalArgumentException("Adam needs betas in [0, 1) and epsilon > 0");
        if (entropyWeight < 0) throw new IllegalArgumentException("entropy weight must not be negative");
    }

    public static EnasConfig defaults() {
        return new EnasConfig(64, 5.0, 2.5, 3.5e-3, 0.0, 0.999, 1e-3, 1e-4, 0.1, 0);
    }

    public EnasConfig withSeed(long s) {
        return new EnasConfig(hidden, temperature, tanhConstant, lr, beta1, beta2, epsilon, entropyWeight, initRange, s);
    }
}
