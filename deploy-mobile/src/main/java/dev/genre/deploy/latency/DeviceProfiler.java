package dev.genre.deploy.latency;

import dev.genre.deploy.onnx.SpecOnnxWriter;
import dev.genre.run.Progress;
import dev.genre.search.latency.DeviceProfile;
import dev.genre.search.latency.LatencyPredictor;
import dev.genre.search.latency.LayerLatency;
import dev.genre.search.latency.Precision;
import dev.genre.search.space.SearchSpace;
import dev.genre.search.space.SpaceLayers;
import dev.genre.search.spec.Layer;
import dev.genre.search.spec.NetworkSpec;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Builds a device profile (contract 3): times every distinct layer of a space as a one-layer model,
 * subtracts what a one-layer model pays and a layer inside a network does not (the session call and
 * the quantize/dequantize at its two ends, measured on trivial models of the same tensor shapes),
 * then fits the fixed per-network overhead as the median of (measured - layer sum) over a few
 * random calibration networks. Those networks come from their own random stream and are recorded,
 * so validation can leave them out.
 */
public final class DeviceProfiler {
    /** Calibration networks are drawn from seed ^ this, validation from its own seed. */
    static final long CALIBRATION_STREAM = 0x5eed_ca11_b7a7_e000L;
    /** Whole networks, in calibration and validation alike, are timed this way. */
    public static final int NETWORK_WARMUP = 20, NETWORK_RUNS = 200;

    /** @param threads, warmup, runs what {@code target} was set up with, recorded in the profile */
    public record Options(Precision precision, int threads, int warmup, int runs, String statistic, int calibrationSpecs, long seed) {
        public Options {
            if (!LatencyStats.STATISTICS.contains(statistic)) {
                throw new IllegalArgumentException("statistic must be one of " + LatencyStats.STATISTICS + ", not '" + statistic + "'");
            }
        }
    }

    private DeviceProfiler() {}

    public static DeviceProfile build(SearchSpace space, LatencyTarget target, Options o, Progress progress) throws IOException {
        Map<String, Layer> layers = SpaceLayers.distinct(space);
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (Layer l : layers.values()) {
            for (long[] dims : List.of(SpecOnnxWriter.inputDims(l), SpecOnnxWriter.outputDims(l))) shapes.putIfAbsent(Arrays.toString(dims), dims);
        }
        progress.start("profile " + o.precision().id(), shapes.size() + layers.size() + o.calibrationSpecs());
        target.warmUp(ProfileModels.boundary(shapes.values().iterator().next(), o.precision()));
        // Whole networks first, in the state a validation or a search's measurement sees: after thousands of
        // one-layer sessions the same network timed up to 0.15 ms slower in this process (MAPE 54% instead of
        // the layer sums' own error), which the fitted overhead then carried into every prediction.
        SplittableRandom rng = new SplittableRandom(o.seed() ^ CALIBRATION_STREAM);
        LatencyTarget networks = target.withRuns(NETWORK_WARMUP, NETWORK_RUNS);
        List<NetworkSpec> calSpecs = new ArrayList<>();
        List<Double> calMeasured = new ArrayList<>();
        for (int i = 0; i < o.calibrationSpecs(); i++) {
            NetworkSpec spec = space.decode(space.random(rng));
            calSpecs.add(spec);
            calMeasured.add(networks.time(ProfileModels.network(spec, o.precision(), o.seed() + i)).value(o.statistic()));
            progress.step(spec.name());
        }
        Map<String, Double> boundary = new LinkedHashMap<>();
        for (var e : shapes.entrySet()) {
            boundary.put(e.getKey(), target.time(ProfileModels.boundary(e.getValue(), o.precision())).value(o.statistic()));
            progress.step("boundary " + e.getKey());
        }
        Map<String, LayerLatency> table = new LinkedHashMap<>();
        long seed = o.seed();
        for (var e : layers.entrySet()) {
            Layer l = e.getValue();
            LatencyStats s = target.time(ProfileModels.layer(l, o.precision(), seed++));
            double b = (boundary.get(Arrays.toString(SpecOnnxWriter.inputDims(l))) + boundary.get(Arrays.toString(SpecOnnxWriter.outputDims(l)))) / 2;
            double t = s.value(o.statistic());
            table.put(e.getKey(), new LayerLatency(t - b, t, b, s.runs()));
            progress.step(e.getKey());
        }
        DeviceProfile partial = new DeviceProfile(DeviceProfile.FORMAT, Instant.now().toString(), target.describe(), o.precision(), o.threads(),
                o.warmup(), o.runs(), o.statistic(), 1, 0, List.of(), space, table);
        LatencyPredictor sum = new LatencyPredictor(partial);
        List<DeviceProfile.CalibrationSpec> cal = new ArrayList<>();
        for (int i = 0; i < calSpecs.size(); i++) {
            cal.add(new DeviceProfile.CalibrationSpec(calSpecs.get(i).name(), sum.layerSumMs(calSpecs.get(i)), calMeasured.get(i)));
        }
        progress.finish();
        return new DeviceProfile(DeviceProfile.FORMAT, partial.created(), partial.device(), o.precision(), o.threads(), o.warmup(), o.runs(),
                o.statistic(), fit(cal)[0], fit(cal)[1], cal, space, table);
    }

    /**
     * {scale, overhead} of measured = scale x layer sum + overhead over the calibration networks, by
     * Theil-Sen (median of pairwise slopes, then the median residual): a line, because layers timed
     * alone run slower than inside a network in proportion to their work, and robust, because one
     * network that the shared machine slowed must not move it. Fewer than 3 networks: offset only.
     */
    static double[] fit(List<DeviceProfile.CalibrationSpec> cal) {
        if (cal.isEmpty()) return new double[] {1, 0};
        double scale = 1;
        if (cal.size() >= 3) {
            List<Double> slopes = new ArrayList<>();
            for (int i = 0; i < cal.size(); i++) {
                for (int j = i + 1; j < cal.size(); j++) {
                    double dx = cal.get(j).layerSumMs() - cal.get(i).layerSumMs();
                    if (Math.abs(dx) > 1e-9) slopes.add((cal.get(j).measuredMs() - cal.get(i).measuredMs()) / dx);
                }
            }
            if (!slopes.isEmpty()) scale = median(slopes.stream().mapToDouble(Double::doubleValue).toArray());
            if (!(scale > 0)) scale = 1;
        }
        final double k = scale;
        return new double[] {scale, median(cal.stream().mapToDouble(c -> c.measuredMs() - k * c.layerSumMs()).toArray())};
    }

    private static double median(double[] v) {
        double[] d = v.clone();
        Arrays.sort(d);
        return d.length % 2 == 1 ? d[d.length / 2] : (d[d.length / 2 - 1] + d[d.length / 2]) / 2;
    }
}
