package dev.genre.search.net;

import ai.djl.ndarray.NDArray;
import dev.genre.search.spec.Activation;

/**
 * The activation functions as NDArray maths; the ONNX writer maps the same names to HardSwish/HardSigmoid.
 * Intermediates are closed as soon as they are used: libtorch keeps what autograd needs, and
 * freeing early lets the allocator hand the same warm memory to the next op.
 */
public final class Activations {
    private Activations() {}

    public static NDArray apply(Activation act, NDArray x) {
        return switch (act) {
            case RELU -> ai.djl.nn.Activation.relu(x);
            case HSWISH -> {
                try (NDArray gate = hardSigmoid(x)) {
                    yield x.mul(gate);
                }
            }
        };
    }

    /** relu6(x + 3) / 6, MobileNetV3's gate. */
    public static NDArray hardSigmoid(NDArray x) {
        try (NDArray shifted = x.add(3f); NDArray clipped = shifted.clip(0f, 6f)) {
            return clipped.div(6f);
        }
    }
}
