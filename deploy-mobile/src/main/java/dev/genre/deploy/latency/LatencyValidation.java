package dev.genre.deploy.latency;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.genre.run.Progress;
import dev.genre.search.latency.DeviceProfile;
import dev.genre.search.latency.LatencyPredictor;
import dev.genre.search.space.SearchSpace;
import dev.genre.search.spec.NetworkSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Checks a profile against whole networks: random children of its space (never one of its
 * calibration networks), each exported in the profile's precision and measured end to end on the
 * target, compared with the predictor by Spearman rank correlation and mean absolute percentage error.
 */
public final class LatencyValidation {
    public static final String FORMAT = "genre-latency-validation/1";
    /** Timing rounds per network; each round runs the target's configured runs divided by this. */
    static final int ROUNDS = 5;

    public record Row(String key, double predictedMs, double measuredMs, double errorPct) {}

    @JsonPropertyOrder({"format", "profileCreated", "device", "precision", "seed", "spearman", "mapePct", "overheadMs", "rows"})
    public record Report(String format, String profileCreated, Map<String, Object> device, String precision, long seed, double spearman,
                         double mapePct, double overheadMs, List<Row> rows) {}

    private LatencyValidation() {}

    public static Report run(DeviceProfile profile, LatencyTarget target, int runsPerNetwork, int specs, long seed, Progress progress) throws IOException {
        LatencyPredictor predictor = new LatencyPredictor(profile);
        SearchSpace space = profile.space();
        Set<String> calibration = new HashSet<>();
        profile.calibration().forEach(c -> calibration.add(c.key()));
        SplittableRandom rng = new SplittableRandom(seed);
        List<Row> rows = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        target.warmUp(ProfileModels.network(space.decode(space.random(new SplittableRandom(seed))), profile.precision(), seed));
        List<NetworkSpec> picked = new ArrayList<>();
        while (picked.size() < specs) {
            NetworkSpec spec = space.decode(space.random(rng));
            if (calibration.contains(spec.name()) || !seen.add(spec.name())) continue;
            picked.add(spec);
        }
        List<byte[]> models = new ArrayList<>();
        for (int i = 0; i < picked.size(); i++) models.add(ProfileModels.network(picked.get(i), profile.precision(), seed + i));
        // Round-robin: every network is timed once per round and keeps its median round, so a spell in
        // which the shared machine runs slower (seen here: +35% for half a run) hits all networks alike.
        double[][] perRound = new double[picked.size()][ROUNDS];
        LatencyTarget round = target.withRuns(2, Math.max(20, runsPerNetwork / ROUNDS));
        progress.start("validate", (long) ROUNDS * picked.size());
        for (int r = 0; r < ROUNDS; r++) {
            for (int i = 0; i < picked.size(); i++) {
                perRound[i][r] = round.time(models.get(i)).value(profile.statistic());
                progress.step(picked.get(i).name());
            }
        }
        for (int i = 0; i < picked.size(); i++) {
            double[] t = perRound[i].clone();
            java.util.Arrays.sort(t);
            double measured = t[ROUNDS / 2], predicted = predictor.predictMs(picked.get(i));
            rows.add(new Row(picked.get(i).name(), predicted, measured, 100 * (predicted - measured) / measured));
        }
        progress.finish();
        double[] p = rows.stream().mapToDouble(Row::predictedMs).toArray(), m = rows.stream().mapToDouble(Row::measuredMs).toArray();
        double mape = rows.stream().mapToDouble(r -> Math.abs(r.errorPct())).average().orElse(Double.NaN);
        return new Report(FORMAT, profile.created(), target.describe(), profile.precision().id(), seed, spearman(p, m), mape, profile.overheadMs(), rows);
    }

    /** Spearman's rho: Pearson correlation of the ranks, ties sharing their mean rank. */
    static double spearman(double[] a, double[] b) {
        return dev.genre.search.nas.RankCorrelation.spearmanRho(a, b);
    }

    static double[] ranks(double[] v) {
        return dev.genre.search.nas.RankCorrelation.ranks(v);
    }
}
