package dev.genre.search.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import org.junit.jupiter.api.Test;

/** The moving average on real libtorch arrays of a DJL block. */
class WeightAverageTest {
    @Test
    void decayWarmsUpToItsCap() {
        try (NDManager m = NDManager.newBaseManager()) {
            WeightAverage ema = new WeightAverage(0.99, linear(m).getParameters(), m);
            assertEquals(2.0 / 11, ema.decayAt(1), 1e-12);
            assertEquals(101.0 / 110, ema.decayAt(100), 1e-12);
            assertEquals(0.99, ema.decayAt(100_000), 1e-12);
        }
    }

    @Test
    void averagesEveryParameterAndAppliesItOnlyUntilClosed() {
        try (NDManager m = NDManager.newBaseManager()) {
            Linear net = linear(m);
            Parameter w = net.getParameters().get("weight"), b = net.getParameters().get("bias");
            float[] w0 = w.getArray().toFloatArray(), b0 = b.getArray().toFloatArray();
            WeightAverage ema = new WeightAverage(0.5, net.getParameters(), m);
            w.getArray().addi(2f);
            b.getArray().addi(4f);
            ema.update(100_000); // decay 0.5: halfway from the start to the new values
            try (WeightAverage.Applied applied = ema.apply()) {
                assertArrayEquals(plus(w0, 1f), w.getArray().toFloatArray(), 1e-6f);
                assertArrayEquals(plus(b0, 2f), b.getArray().toFloatArray(), 1e-6f);
            }
            assertArrayEquals(plus(w0, 2f), w.getArray().toFloatArray(), 1e-6f, "the trained values are back");
            assertArrayEquals(plus(b0, 4f), b.getArray().toFloatArray(), 1e-6f);
            ema.update(100_000);
            try (WeightAverage.Applied applied = ema.apply()) {
                assertArrayEquals(plus(w0, 1.5f), w.getArray().toFloatArray(), 1e-6f);
            }
        }
    }

    @Test
    void restoresSavedShadows() {
        try (NDManager m = NDManager.newBaseManager()) {
            Linear net = linear(m);
            WeightAverage a = new WeightAverage(0.5, net.getParameters(), m);
            NDArray w = net.getParameters().get("weight").getArray();
            w.addi(2f);
            a.update(100_000);
            WeightAverage b = new WeightAverage(0.5, net.getParameters(), m);
            b.restore(a.state());
            float[] expected;
            try (WeightAverage.Applied applied = a.apply()) {
                expected = w.toFloatArray();
            }
            try (WeightAverage.Applied applied = b.apply()) {
                assertArrayEquals(expected, w.toFloatArray(), 0f);
            }
            assertThrows(IllegalArgumentException.class, () -> new WeightAverage(1.0, net.getParameters(), m));
        }
    }

    private static Linear linear(NDManager m) {
        Linear l = Linear.builder().setUnits(3).build();
        l.initialize(m, DataType.FLOAT32, new Shape(2, 4));
        return l;
    }

    private static float[] plus(float[] a, float d) {
        float[] r = a.clone();
        for (int i = 0; i < r.length; i++) r[i] += d;
        return r;
    }
}
