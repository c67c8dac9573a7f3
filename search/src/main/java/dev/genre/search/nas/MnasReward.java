package dev.genre.search.nas;

/**
 * MnasNet's latency-aware reward {@code ACC * (LAT / TARGET)^w}, w = alpha when LAT <= TARGET else
 * beta. alpha = beta = -0.07 is the soft constraint (a 2x slower net must be ~5% more accurate);
 * alpha = 0, beta = -1 the hard one (no bonus for being faster, a steep fall beyond the target).
 */
public record MnasReward(double targetMs, double alpha, double beta) {
    public static final double SOFT = -0.07;

    public MnasReward {
        if (!(targetMs > 0)) throw new IllegalArgumentException("--target-latency-ms must be positive");
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
