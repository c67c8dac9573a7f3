package dev.genre.search.nas;

import dev.genre.search.train.AccuracyMetric;
import dev.genre.search.train.Evaluation;

/**
 * MnasNet's latency-aware reward {@code ACC * (LAT / TARGET)^w}, w = alpha when LAT <= TARGET else
 * beta. alpha = beta = -0.07 is the soft constraint (a 2x slower net must be ~5% more accurate);
 * alpha = 0, beta = -1 the hard one (no bonus for being faster, a steep fall beyond the target).
 * ACC is the validation segment accuracy of {@code metric} (macro by default); a run recorded before the metric
 * existed reads as micro, which is what it used.
 */
public record MnasReward(double targetMs, double alpha, double beta, AccuracyMetric metric) {
    public static final double SOFT = -0.07;

    public MnasReward {
        if (!(targetMs > 0)) throw new IllegalArgumentException("--target-latency-ms must be positive");
        if (metric == null) metric = AccuracyMetric.MICRO;
    }

    /** With the default metric. */
    public MnasReward(double targetMs, double alpha, double beta) {
        this(targetMs, alpha, beta, AccuracyMetric.DEFAULT);
    }

    public MnasReward withMetric(AccuracyMetric m) {
        return new MnasReward(targetMs, alpha, beta, m);
    }

    /** The reward of a model scored on validation (or test) data, read with this reward's metric. */
    public double of(Evaluation e, double latencyMs) {
        return of(metric.segment(e), latencyMs);
    }

    public static MnasReward soft(double targetMs) {
        return new MnasReward(targetMs, SOFT, SOFT);
    }

    public static MnasReward hard(double targetMs) {
        return new MnasReward(targetMs, 0, -1);
    }

    public double of(double accuracy, double latencyMs) {
        double w = latencyMs <= targetMs ? alpha : beta;
        return accuracy * Math.pow(latencyMs / targetMs, w);
    }
}
