package dev.genre.search.latency;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.genre.io.Json;
import dev.genre.search.space.SearchSpace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A per-layer latency table of one device (contract 3, {@code genre-device-profile/1}): the median
 * time of every distinct layer the space can produce, keyed by {@link dev.genre.search.spec.LayerKey},
 * plus a fixed per-network overhead. Written by {@code genre profile-device}; read as data here.
 *
 * @param device      what it was measured on (target, CPU or phone model, ONNX Runtime version)
 * @param statistic   what each time is, over {@code runs}: {@code p50} (default) or {@code min}, steadier on a shared machine
 * @param scale       multiplies the layer sum: layers timed alone run slower than inside a network (a
 *                    network keeps its activations in cache and ORT fuses across layer boundaries)
 * @param overheadMs  added once per network; scale and overhead are fitted on {@code calibration} specs, never on validation specs
 * @param calibration the whole networks the overhead was fitted on
 */
@JsonPropertyOrder({"format", "created", "device", "precision", "threads", "warmup", "runs", "statistic", "scale", "overheadMs", "calibration", "space", "layers"})
public record DeviceProfile(String format, String created, Map<String, Object> device, Precision precision, int threads, int warmup, int runs,
                            String statistic, double scale, double overheadMs, List<CalibrationSpec> calibration, SearchSpace space, Map<String, LayerLatency> layers) {
    public static final String FORMAT = "genre-device-profile/1";

    public DeviceProfile {
        if (!FORMAT.equals(format)) throw new IllegalArgumentException("device profile format '" + format + "', expected " + FORMAT);
        if (scale == 0) scale = 1; // profiles written before the scale was fitted
    }

    /** A whole network measured end to end, and what the layer table alone sums to for it. */
    public record CalibrationSpec(String key, double layerSumMs, double measuredMs) {}

    public static DeviceProfile read(Path file) throws IOException {
        return Json.read(file, DeviceProfile.class);
    }
}
