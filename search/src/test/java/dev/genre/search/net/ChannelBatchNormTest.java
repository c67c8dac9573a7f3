package dev.genre.search.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The direct call computes what DJL's axis-1 batch norm does: values, gradients and running statistics. */
class ChannelBatchNormTest {
    @Test
    void matchesDjlsAxisOneBatchNorm() {
        for (boolean training : new boolean[] {true, false}) {
            float[][] direct = run(training, true), djl = run(training, false);
            for (int i = 0; i < direct.length; i++) assertArrayEquals(djl[i], direct[i], 1e-6f, "training " + training + ", result " + i);
        }
    }

    /** {output, d input, d gamma, running mean, running var} for N=2, C=3, H=4, W=5 (C differs from W). */
    private static float[][] run(boolean training, boolean direct) {
        SplittableRandom rng = new SplittableRandom(7);
        float[] v = new float[2 * 3 * 4 * 5];
        for (int i = 0; i < v.length; i++) v[i] = (float) (rng.nextGaussian() * (1 + i % 3) + i % 3);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(v, new Shape(2, 3, 4, 5)), gamma = m.create(new float[] {1f, 0.5f, 2f}), beta = m.create(new float[] {0f, 1f, -1f});
            NDArray mean = m.create(new float[] {0.1f, 0.2f, 0.3f}), var = m.create(new float[] {1f, 2f, 3f});
            x.setRequiresGradient(true);
            gamma.setRequiresGradient(true);
            float[] out;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = direct ? ChannelBatchNorm.apply(x, mean, var, gamma, beta, 0.9f, 1e-3f, training)
                        : BatchNorm.batchNorm(x, mean, var, gamma, beta, 1, 0.9f, 1e-3f, training).singletonOrThrow();
                out = y.toFloatArray();
                gc.backward(y.mul(y).sum());
            }
            return new float[][] {out, x.getGradient().toFloatArray(), gamma.getGradient().toFloatArray(), mean.toFloatArray(), var.toFloatArray()};
        }
    }
}
