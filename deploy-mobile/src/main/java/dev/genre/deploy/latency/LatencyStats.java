package dev.genre.deploy.latency;

import java.util.Arrays;

/** Latency summary in milliseconds over {@code runs} timed runs (after warm-up). */
public record LatencyStats(int runs, double p50, double p90, double p99, double mean, double std, double min) {
    public static LatencyStats of(double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        double mean = Arrays.stream(s).average().orElse(0), var = 0;
        for (double v : s) var += (v - mean) * (v - mean);
        return new LatencyStats(s.length, pct(s, 50), pct(s, 90), pct(s, 99), mean, Math.sqrt(var / Math.max(1, s.length - 1)), s[0]);
    }

    /** The statistics a device profile may be built on. */
    public static final java.util.List<String> STATISTICS = java.util.List.of("p50", "min");

    /** One of {@link #STATISTICS}. */
    public double value(String statistic) {
        return switch (statistic) {
            case "p50" -> p50;
            case "min" -> min;
            default -> throw new IllegalArgumentException("statistic must be p50 or min, not '" + statistic + "'");
        };
    }

    /** Nearest-rank percentile of sorted values. */
    static double pct(double[] sorted, double p) {
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
