package dev.genre.search.nas;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.genre.search.space.SearchSpace;
import dev.genre.search.strategy.EnasConfig;
import dev.genre.search.strategy.EvolutionConfig;
import dev.genre.search.train.TrainConfig;

/**
 * A search's settings; recorded in the run directory and checked on resume.
 *
 * @param epochs            shared-weight training passes (with a time budget: the count fitted after the first epoch)
 * @param timeBudgetSeconds 0 = run {@code epochs}; otherwise stop planning more epochs than fit
 * @param controllerSteps   children scored on validation minibatches after each training pass
 * @param validBatch        segments in one validation minibatch (one reward)
 * @param calibrationBatches training batches that recalibrate batch norm before a child is scored
 * @param topK              best children re-scored on the whole validation split and measured on the device
 * @param train             the shared-weight training recipe (augmentation, optimizer, schedule)
 * @param enas              the controller's settings (used by the enas strategy)
 * @param evolution         population and tournament sizes (used by the evolution strategy)
 * @param uniformWarmup     the leading fraction of the passes that trains on uniform children and scores no proposals:
 *                          the controller learns only once the shared weights rank children (SPOS, TuNAS)
 * @param space             the search space by name ({@link SearchSpace#NAMES}); absent in runs before it existed: the MnasNet space
 */
@JsonPropertyOrder({"strategy", "epochs", "timeBudgetSeconds", "controllerSteps", "validBatch", "calibrationBatches", "topK",
        "reward", "train", "enas", "evolution", "uniformWarmup", "space"})
public record SearchConfig(String strategy, int epochs, long timeBudgetSeconds, int controllerSteps, int validBatch,
                           int calibrationBatches, int topK, MnasReward reward, TrainConfig train, EnasConfig enas,
                           EvolutionConfig evolution, double uniformWarmup, String space) {
    public static final double DEFAULT_UNIFORM_WARMUP = 0.4;

    public SearchConfig {
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be at least 1");
        if (controllerSteps < 1) throw new IllegalArgumentException("controller steps must be at least 1");
        if (controllerSteps < 2 && "enas".equals(strategy)) {
            throw new IllegalArgumentException("ENAS compares the children of a round with each other: --controller-steps must be at least 2");
        }
        if (topK < 1) throw new IllegalArgumentException("top-k must be at least 1");
        if (enas == null) enas = EnasConfig.defaults();
        if (evolution == null) evolution = EvolutionConfig.defaults();
        if (!(uniformWarmup >= 0 && uniformWarmup < 1)) throw new IllegalArgumentException("uniform warm-up must be a fraction in [0, 1)");
        if (space == null) space = SearchSpace.MNASNET;
        if (!SearchSpace.NAMES.contains(space)) throw new IllegalArgumentException("unknown search space '" + space + "' (" + String.join(", ", SearchSpace.NAMES) + ")");
    }

    /** In the default space. */
    public SearchConfig(String strategy, int epochs, long timeBudgetSeconds, int controllerSteps, int validBatch, int calibrationBatches,
                        int topK, MnasReward reward, TrainConfig train, EnasConfig enas, EvolutionConfig evolution, double uniformWarmup) {
        this(strategy, epochs, timeBudgetSeconds, controllerSteps, validBatch, calibrationBatches, topK, reward, train, enas, evolution,
                uniformWarmup, SearchSpace.DEFAULT);
    }

    /** With the default uniform warm-up. */
    public SearchConfig(String strategy, int epochs, long timeBudgetSeconds, int controllerSteps, int validBatch, int calibrationBatches,
                        int topK, MnasReward reward, TrainConfig train, EnasConfig enas, EvolutionConfig evolution) {
        this(strategy, epochs, timeBudgetSeconds, controllerSteps, validBatch, calibrationBatches, topK, reward, train, enas, evolution,
                DEFAULT_UNIFORM_WARMUP, SearchSpace.DEFAULT);
    }

    /** Passes of the uniform warm-up out of {@code planned}. */
    public int warmupPasses(int planned) {
        return (int) Math.floor(uniformWarmup * planned);
    }

    public static SearchConfig defaults(String strategy, MnasReward reward, long seed) {
        TrainConfig t = TrainConfig.defaults().with(30, 32, 3e-3, seed);
        // 128 validation segments per reward: at 64 a child's accuracy had a binomial spread of about 0.06.
        return new SearchConfig(strategy, t.epochs(), 0, 25, 128, 2, 5, reward, t, EnasConfig.defaults(), EvolutionConfig.defaults(),
                DEFAULT_UNIFORM_WARMUP, SearchSpace.DEFAULT);
    }

    public SearchConfig withEpochs(int n) {
        return new SearchConfig(strategy, n, timeBudgetSeconds, controllerSteps, validBatch, calibrationBatches, topK, reward,
                train.with(n, train.batch(), train.lr(), train.seed()), enas, evolution, uniformWarmup, space);
    }

    public SearchConfig withTimeBudget(long seconds) {
        return new SearchConfig(strategy, epochs, seconds, controllerSteps, validBatch, calibrationBatches, topK, reward, train, enas, evolution, uniformWarmup, space);
    }

    public SearchConfig withControllerSteps(int n) {
        return new SearchConfig(strategy, epochs, timeBudgetSeconds, n, validBatch, calibrationBatches, topK, reward, train, enas, evolution, uniformWarmup, space);
    }

    public SearchConfig withTopK(int k) {
        return new SearchConfig(strategy, epochs, timeBudgetSeconds, controllerSteps, validBatch, calibrationBatches, k, reward, train, enas, evolution, uniformWarmup, space);
    }

    public SearchConfig withUniformWarmup(double fraction) {
        return new SearchConfig(strategy, epochs, timeBudgetSeconds, controllerSteps, validBatch, calibrationBatches, topK, reward, train, enas,
                evolution, fraction, space);
    }

    public SearchConfig withSpace(String name) {
        return new SearchConfig(strategy, epochs, timeBudgetSeconds, controllerSteps, validBatch, calibrationBatches, topK, reward, train, enas,
                evolution, uniformWarmup, name);
    }

    public long seed() {
        return train.seed();
    }
}
