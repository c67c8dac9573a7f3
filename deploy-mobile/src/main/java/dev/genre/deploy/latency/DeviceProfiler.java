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
                o.warmup(), o.runs(), o.statistic(), 0, List.of(), space, table);
        LatencyPredictor sum = new LatencyPredictor(partial);
        List<DeviceProfile.CalibrationSpec> cal = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(o.seed() ^ CALIBRATION_STREAM);
        LatencyTarget networks = target.withRuns(NETWORK_WARMUP, NETWORK_RUNS);
        for (int i = 0; i < o.calibrationSpecs(); i++) {
            NetworkSpec spec = space.decode(space.random(rng));
            double measured = networks.time(ProfileModels.network(spec, o.precision(), o.seed() + i)).value(o.statistic());
            cal.add(new DeviceProfile.CalibrationSpec(spec.name(), sum.layerSumMs(spec), measured));
            progress.step(spec.name());
        }
        progress.finish();
        return new DeviceProfile(DeviceProfile.FORMAT, partial.created(), partial.device(), o.precision(), o.threads(), o.warmup(), o.runs(),
                o.statistic(), overhead(cal), cal, space, table);
    }

    /** Median of measured - layer sum: robust to one calibration run that the shared machine slowed down. */
    static double overhead(List<DeviceProfile.CalibrationSpec> cal) {
        if (cal.isEmpty()) return 0;
        double[] d = cal.stream().mapToDouble(c -> c.measuredMs() - c.layerSumMs()).sorted().toArray();
        return d.length % 2 == 1 ? d[d.length / 2] : (d[d.length / 2 - 1] + d[d.length / 2]) / 2;
    }
}
