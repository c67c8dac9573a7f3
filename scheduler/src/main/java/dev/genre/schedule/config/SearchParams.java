package dev.genre.schedule.config;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.genre.deploy.pipeline.SearchPipeline;
import dev.genre.search.nas.MnasReward;
import dev.genre.search.nas.SearchConfig;
import dev.genre.search.space.SearchSpace;
import dev.genre.search.strategy.SearchStrategies;
import dev.genre.search.train.AccuracyMetric;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * A nightly job's {@code genre search} flags.
 *
 * @param timeBudget     e.g. {@code 2h} or {@code 90m}; null = run {@code epochs} passes
 * @param w              the Mnas exponent for both sides of the target (null: soft -0.07, or hard with {@code hard})
 * @param batch          training batch (null = the search default, 32)
 * @param metric         the reward's accuracy, macro or micro (null = macro)
 * @param space          the search space, elastic or mnasnet (null = the search default, elastic); a night warm-starts
 *                       only from an earlier run of the same space
 */
@JsonPropertyOrder({"device", "targetLatencyMs", "strategy", "timeBudget", "epochs", "controllerSteps", "top", "retrainEpochs", "hard", "w",
        "seed", "target", "baseline", "batch", "metric", "space"})
public record SearchParams(String device, double targetLatencyMs, String strategy, String timeBudget, Integer epochs, Integer controllerSteps,
                           Integer top, Integer retrainEpochs, boolean hard, Double w, long seed, String target, boolean baseline,
                           Integer batch, String metric, String space) {
    public SearchParams {
        if (device == null) throw new IllegalArgumentException("search.device (a genre profile-device JSON) is required");
        if (!(targetLatencyMs > 0)) throw new IllegalArgumentException("search.targetLatencyMs must be positive");
        if (strategy == null) strategy = "enas";
        strategy = strategy.toLowerCase(Locale.ROOT);
        if (!SearchStrategies.NAMES.contains(strategy)) throw new IllegalArgumentException("search.strategy must be one of " + SearchStrategies.NAMES);
        if (timeBudget != null) budget(timeBudget);
        if (target == null) target = "local";
        if (metric != null) AccuracyMetric.parse(metric);
        if (space != null && !SearchSpace.NAMES.contains(space)) throw new IllegalArgumentException("search.space must be one of " + SearchSpace.NAMES);
    }

    public MnasReward reward() {
        MnasReward r = w != null ? new MnasReward(targetLatencyMs, w, w) : hard ? MnasReward.hard(targetLatencyMs) : MnasReward.soft(targetLatencyMs);
        return metric == null ? r : r.withMetric(AccuracyMetric.parse(metric));
    }

    /** The pipeline options for one run on {@code dataset}, as {@code genre search} would build them from the same flags. */
    public SearchPipeline.Options options(Path dataset) {
        SearchConfig sc = SearchConfig.defaults(strategy, reward(), seed);
        if (batch != null) {
            sc = new SearchConfig(sc.strategy(), sc.epochs(), 0, sc.controllerSteps(), Math.min(sc.validBatch(), batch), sc.calibrationBatches(),
                    sc.topK(), sc.reward(), sc.train().with(sc.epochs(), batch, sc.train().lr(), seed), sc.enas(), sc.evolution(), sc.uniformWarmup(), sc.space());
        }
        if (epochs != null) sc = sc.withEpochs(epochs);
        if (timeBudget != null) sc = sc.withEpochs(epochs != null ? epochs : 1000).withTimeBudget(budget(timeBudget).toSeconds());
        if (controllerSteps != null) sc = sc.withControllerSteps(controllerSteps);
        if (top != null) sc = sc.withTopK(top);
        if (space != null) sc = sc.withSpace(space);
        return new SearchPipeline.Options(dataset.toAbsolutePath().normalize().toString(), Path.of(device).toAbsolutePath().normalize().toString(),
                sc, retrainEpochs == null ? 30 : retrainEpochs, baseline, target, 1, 100);
    }

    /** 90m, 2h, 1h30m, 45s, or ISO-8601 (PT2H). */
    public static Duration budget(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        try {
            return t.startsWith("P") ? Duration.parse(t) : Duration.parse("PT" + t);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("time budget must look like 90m, 2h or 1h30m, not " + s);
        }
    }
}
