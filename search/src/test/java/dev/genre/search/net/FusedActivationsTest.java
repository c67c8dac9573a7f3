package dev.genre.search.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** libtorch's fused h-swish and hard-sigmoid compute what the DJL composite does, values and gradients. */
class FusedActivationsTest {
    @Test
    void fusedKernelsMatchTheComposite() {
        check(FusedActivations::hardSwish, Activations::composedHardSwish);
        check(FusedActivations::hardSigmoid, Activations::composedHardSigmoid);
    }

    private static void check(UnaryOperator<NDArray> fused, UnaryOperator<NDArray> composite) {
        SplittableRandom rng = new SplittableRandom(3);
        float[] v = new float[2 * 8 * 5 * 5];
        for (int i = 0; i < v.length; i++) {
            float x = (float) (rng.nextDouble() * 12 - 6); // both sides of the kinks at -3 and 3
            v[i] = Math.abs(Math.abs(x) - 3) < 1e-3 ? x + 0.01f : x; // not on a kink, where the two subgradients may differ
        }
        float[][] out = new float[2][], grad = new float[2][];
        for (int k = 0; k < 2; k++) {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray x = m.create(v, new Shape(2, 8, 5, 5));
                x.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray y = (k == 0 ? fused : composite).apply(x);
                    out[k] = y.toFloatArray();
                    gc.backward(y.mul(y).sum()); // a loss whose gradient depends on the values
                }
                grad[k] = x.getGradient().toFloatArray();
            }
        }
        assertArrayEquals(out[1], out[0], 1e-6f, "values");
        assertArrayEquals(grad[1], grad[0], 1e-5f, "gradients");
    }
}
