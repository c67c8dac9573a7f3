package dev.genre.search.net;

import ai.djl.ndarray.NDArray;
import dev.genre.search.spec.Activation;

/**
 * The activation functions as NDArray maths; the ONNX writer maps the same names to HardSwish/HardSigmoid.
 * Intermediates and scalar operands stay on the caller's manager until the backward pass is done
 * (see {@link Scalars}).
 */
public final class Activations {
    /** libtorch's fused kernels; {@code -Dgenre.composedActivations=true} runs DJL's composite instead (for comparison). */
    private static final boolean FUSED = !Boolean.getBoolean("genre.composedActivations");

    private Activations() {}

    public static NDArray apply(Activation act, NDArray x) {
        return switch (act) {
            case RELU -> ai.djl.nn.Activation.relu(x);
            case HSWISH -> FUSED ? FusedActivations.hardSwish(x) : composedHardSwish(x);
        };
    }

    /** relu6(x + 3) / 6, MobileNetV3's gate. */
    public static NDArray hardSigmoid(NDArray x) {
        return FUSED ? FusedActivations.hardSigmoid(x) : composedHardSigmoid(x);
    }

    /** DJL's composite of the two (package-private: FusedActivationsTest checks the fused kernels against it). */
    static NDArray composedHardSwish(NDArray x) {
        return x.mul(composedHardSigmoid(x));
    }

    static NDArray composedHardSigmoid(NDArray x) {
        return x.add(3f).clip(0f, 6f).div(Scalars.like(x, 6f));
    }
}
