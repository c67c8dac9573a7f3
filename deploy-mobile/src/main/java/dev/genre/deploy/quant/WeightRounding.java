package dev.genre.deploy.quant;

import java.util.Map;

/**
 * How a quantized model's int8 weights are rounded: to the levels {@link AdaRound} chose (a weight
 * not there goes to the nearest level), with each layer's bias absorbing the mean output shift of
 * that rounding given the calibration's per-channel input means (empty: no correction).
 */
public record WeightRounding(Map<String, byte[]> levels, Map<String, double[]> inputMeans) {
    /** Nearest rounding, bias-corrected with {@code inputMeans}. */
    public static WeightRounding nearest(Map<String, double[]> inputMeans) {
        return new WeightRounding(Map.of(), inputMeans);
    }

    public boolean adaptive() {
        return !levels.isEmpty();
    }
}
