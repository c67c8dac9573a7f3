package dev.genre.search.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.PairList;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OptimizerStateTest {
    /** A NaN gradient that is discarded must leave a zero gradient, untouched weights and a working next step. */
    @Test
    void discardedNonFiniteGradientLeavesNoTrace() {
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).optShape(new Shape(3, 2)).build();
            p.initialize(m, DataType.FLOAT32);
            PairList<String, Parameter> all = new PairList<>();
            all.add("w", p);
            OptimizerState opt = new OptimizerState("adamw", 0.9, 0.01, all, m);
            float[] before = p.getArray().toFloatArray();

            backward(p, Float.NaN);
            assertTrue(Float.isNaN(p.getArray().getGradient().toFloatArray()[0]), "the test needs a NaN gradient");
            opt.discard(Set.of(p));
            for (float g : p.getArray().getGradient().toFloatArray()) assertEquals(0f, g);
            assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(p.getArray().toFloatArray()));

            backward(p, 1f);
            opt.update(1e-2, Set.of(p));
            float[] after = p.getArray().toFloatArray();
            for (int i = 0; i < after.length; i++) {
                assertTrue(Float.isFinite(after[i]) && after[i] != before[i], "weight " + i + " moved by a finite step: " + after[i]);
            }
        }
    }

    private static void backward(Parameter p, float scale) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(p.getArray().mul(dev.genre.search.net.Scalars.like(p.getArray(), scale)).sum());
        }
    }
}
