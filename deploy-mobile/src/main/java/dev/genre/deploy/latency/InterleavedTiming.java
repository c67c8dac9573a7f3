package dev.genre.deploy.latency;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Times models that are compared with each other in interleaved rounds (A B C, A B C, ...), each round
 * a share of the runs, and gives each model its median round (by p50). A minute of disturbance on the
 * device then hits every model alike instead of whichever was being timed: one fresh-clone demo timed
 * MobileNetV3-Small at 2.70 ms where `genre measure` gave 1.48 ms right after, and shipped the other model on it.
 */
public final class InterleavedTiming {
    public static final int ROUNDS = 5;

    private InterleavedTiming() {}

    /** @param runs timed runs per model in all, split over the rounds (at least one per round) */
    public static List<LatencyStats> median(LatencyTarget target, int runs, int rounds, List<byte[]> models) throws IOException {
        if (rounds < 1) throw new IllegalArgumentException("rounds must be at least 1");
        LatencyTarget round = target.withRuns(10, Math.max(1, runs / rounds));
        List<List<LatencyStats>> byModel = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) byModel.add(new ArrayList<>());
        for (int r = 0; r < rounds; r++) for (int i = 0; i < models.size(); i++) byModel.get(i).add(round.time(models.get(i)));
        List<LatencyStats> out = new ArrayList<>();
        for (List<LatencyStats> rs : byModel) out.add(medianRound(rs));
        return out;
    }

    /** The round whose p50 is the median of the rounds' (the lower middle one for an even count). */
    static LatencyStats medianRound(List<LatencyStats> rounds) {
        List<LatencyStats> sorted = new ArrayList<>(rounds);
        sorted.sort(Comparator.comparingDouble(LatencyStats::p50));
        return sorted.get((sorted.size() - 1) / 2);
    }
}
