package dev.genre.search.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The int8 model's arithmetic simulated in float inside the DJL network, for quantization-aware
 * fine-tuning: activations are rounded to uint8 at the tensors the exporter's QDQ quantizer
 * quantizes, with its ranges, named as the ONNX writer names them ({@code <row>.<part>[.relu|.hswish]},
 * {@code <row>.add}, {@code <row>.se.gate}, ...); weights are rounded to int8 per output channel after
 * batch norm is folded, as the quantizer rounds the folded weights. Rounding passes gradients straight
 * through (the straight-through estimator); outside its range a value is clipped and gets no
 * gradient, as PyTorch's fake quantization does.
 *
 * <p>While a network simulates int8 it runs its inference graph even in training mode: batch norm
 * folded with its running statistics frozen, and no dropout; that is the graph that gets quantized.
 */
public final class Int8Simulation {
    /**
     * The largest int8 weight level: weights use -63..63 (7 bits), not -127..127. x86 CPUs without
     * VNNI run ONNX Runtime's U8S8 kernels on VPMADDUBSW, which adds two uint8 x int8 products into a
     * saturating int16: 2 x 255 x 127 overflows it, 2 x 255 x 63 = 32,130 cannot. With 8-bit weights
     * the int8 model computed something else on AVX2-only CPUs (Int8SimulationTest: 0.42 of the
     * expected noise); VNNI and ARM kernels accumulate in int32 and run either grid alike. ORT's own
     * quantizer calls this reduce_range. One value for the quantizer, AdaRound and this simulation;
     * {@code -Dgenre.int8.weightLevelMax=127} restores 8 bits, for measuring what the seventh bit buys.
     */
    public static final int WEIGHT_LEVEL_MAX = Integer.getInteger("genre.int8.weightLevelMax", 63);

    private final Map<String, float[]> ranges;
    private final Set<String> used = new LinkedHashSet<>();

    /** @param ranges [low, high] of each activation tensor, by ONNX tensor name (the quantizer's input) */
    public Int8Simulation(Map<String, float[]> ranges) {
        this.ranges = Map.copyOf(ranges);
    }

    /** The tensors a forward pass has rounded so far: a network that misses one of the quantizer's is a bug. */
    public Set<String> used() {
        return Collections.unmodifiableSet(used);
    }

    /**
     * {@code x} rounded to the uint8 grid of {@code tensor}'s range (scale and zero point exactly as the
     * quantizer derives them), or {@code x} itself when the quantizer leaves the tensor float.
     */
    public NDArray activation(String tensor, NDArray x) {
        float[] r = ranges.get(tensor);
        if (r == null) return x;
        used.add(tensor);
        float scale = Math.max((r[1] - r[0]) / 255f, 1e-8f);
        int zp = Math.max(0, Math.min(255, Math.round(-r[0] / scale)));
        NDArray clipped = x.clip(-zp * scale, (255 - zp) * scale);
        NDArray c = clipped.stopGradient(); // the rounding is computed off the graph and added as a constant
        NDArray rounded = c.div(Scalars.like(c, scale)).round().mul(Scalars.like(c, scale));
        return clipped.add(rounded.sub(c));
    }

    /**
     * {@code parameter} as a tensor on the manager of {@code like} (the step's input), gradients flowing
     * back to it. DJL attaches an op's result to its first operand's manager, so the folding and rounding
     * computed from parameters every step would otherwise pile up on the network's own manager until the
     * network closes (~1,200 arrays a step for MobileNetV3-Small; quantization-aware tuning of 5 folds was
     * OOM-killed at 22 GB).
     */
    public static NDArray local(NDArray parameter, NDArray like) {
        return Scalars.like(like, 1f).mul(parameter);
    }

    /** Weights rounded to int8, symmetric, one scale per output channel (axis 0): max |w| / {@link #WEIGHT_LEVEL_MAX}, levels +-that. */
    public static NDArray weight(NDArray w) {
        Shape shape = w.getShape();
        NDArray flat = w.reshape(shape.get(0), -1);
        NDArray c = flat.stopGradient();
        NDArray scale = c.abs().max(new int[] {1}, true).div(Scalars.like(c, (float) WEIGHT_LEVEL_MAX)).maximum(Scalars.like(c, 1e-12f));
        NDArray rounded = c.div(scale).round().clip(-WEIGHT_LEVEL_MAX, WEIGHT_LEVEL_MAX).mul(scale);
        return flat.add(rounded.sub(c)).reshape(shape);
    }
}
