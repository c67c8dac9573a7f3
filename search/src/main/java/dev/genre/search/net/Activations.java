package dev.genre.search.net;

import ai.djl.ndarray.NDArray;
import dev.genre.search.spec.Activation;

/**
 * The activation functions as NDArray maths; the ONNX writer maps the same names to HardSwish/HardSigmoid.
 * Intermediates are left to the caller's manager: closing them early (tried for allocator reuse)
 * corrupted batch-norm statistics after ~27 training-mode passes (NaN), a use-after-free somewhere
 * between DJL and libtorch, reproduced by the ONNX export test's calibration loop.
 */
public final class Activations {
    private Activations() {}

    public static NDArray apply(Activation act, NDArray x) {
        return switch (act) {
            case RELU -> ai.djl.nn.Activation.relu(x);
            case HSWISH -> x.mul(hardSigmoid(x));
        };
    }

    /** relu6(x + 3) / 6, MobileNetV3's gate. */
    public static NDArray hardSigmoid(NDArray x) {
        return x.add(3f).clip(0f, 6f).div(6f);
    }
}
