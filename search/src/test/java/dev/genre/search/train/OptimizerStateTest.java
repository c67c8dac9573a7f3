package dev.genre.search.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    /**
     * The multi-tensor update against the arithmetic written out per element, over three steps where
     * the second updates only the weight (a supernet step): the bias then has its own Adam step count,
     * and no weight decay.
     */
    @ParameterizedTest
    @ValueSource(strings = {"adamw", "sgd"})
    void updatesFollowTheReferenceArithmetic(String kind) {
        double lr = 0.1, wd = 0.05, momentum = 0.9;
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter w = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).optShape(new Shape(4, 3)).build();
            Parameter b = Parameter.builder().setName("b").setType(Parameter.Type.BIAS).optShape(new Shape(3)).build();
            w.initialize(m, DataType.FLOAT32);
            b.initialize(m, DataType.FLOAT32);
            b.getArray().set(new float[] {0.5f, -0.25f, 1f});
            PairList<String, Parameter> all = new PairList<>();
            all.add("w", w);
            all.add("b", b);
            OptimizerState opt = new OptimizerState(kind, momentum, wd, all, m);
            Reference rw = new Reference(w.getArray().toFloatArray(), wd), rb = new Reference(b.getArray().toFloatArray(), 0);
            for (int step = 1; step <= 3; step++) {
                Set<Parameter> only = step == 2 ? Set.of(w) : Set.of(w, b);
                float[] gw = gradient(w, step), gb = only.contains(b) ? gradient(b, step) : null; // a child without b: no gradient
                opt.update(lr, only);
                rw.update(kind, gw, lr, momentum);
                if (gb != null) rb.update(kind, gb, lr, momentum);
                assertClose(rw.weights, w.getArray().toFloatArray(), kind + " step " + step + " weight");
                assertClose(rb.weights, b.getArray().toFloatArray(), kind + " step " + step + " bias");
                for (float g : w.getArray().getGradient().toFloatArray()) assertEquals(0f, g, 0f, "the update zeroes the gradient it used");
            }
        }
    }

    /** The global norm over the chosen parameters only, scaled down to the bound and never up. */
    @Test
    void clippingScalesTheChosenGradientsToTheBound() {
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter w = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).optShape(new Shape(4, 3)).build();
            Parameter b = Parameter.builder().setName("b").setType(Parameter.Type.BIAS).optShape(new Shape(3)).build();
            Parameter other = Parameter.builder().setName("o").setType(Parameter.Type.BIAS).optShape(new Shape(2)).build();
            PairList<String, Parameter> all = new PairList<>();
            for (Parameter p : new Parameter[] {w, b, other}) {
                p.initialize(m, DataType.FLOAT32);
                all.add(p.getName(), p);
            }
            OptimizerState opt = new OptimizerState("adamw", 0.9, 0.05, all, m);
            float[] gw = gradient(w, 1), gb = gradient(b, 1), go = gradient(other, 1);
            double sq = 0;
            for (float g : gw) sq += g * g;
            for (float g : gb) sq += g * g;
            double norm = Math.sqrt(sq);
            assertEquals(norm, opt.clipGradientNorm(Set.of(w, b), 10 * norm), 1e-5 * norm, "norm of w and b");
            assertArrayEquals(gw, w.getArray().getGradient().toFloatArray(), "under the bound: unchanged");
            assertEquals(norm, opt.clipGradientNorm(Set.of(w, b), norm / 4), 1e-5 * norm);
            float[] scaled = w.getArray().getGradient().toFloatArray();
            for (int i = 0; i < gw.length; i++) assertEquals(gw[i] / 4, scaled[i], 1e-6, "w[" + i + "] scaled to the bound");
            assertArrayEquals(go, other.getArray().getGradient().toFloatArray(), "a parameter not chosen is not scaled");
        }
    }

    /** Sets p's gradient to a fixed pattern that changes with the step; returns it. */
    private static float[] gradient(Parameter p, int step) {
        float[] g = new float[Math.toIntExact(p.getArray().size())];
        for (int i = 0; i < g.length; i++) g[i] = (float) Math.sin(1.7 * i + step) * (i % 3 == 0 ? 0.01f : 1f);
        try (NDManager s = p.getArray().getManager().newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(p.getArray().mul(s.create(g, p.getArray().getShape())).sum());
        }
        return g;
    }

    private static void assertClose(double[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, Math.abs(expected[i])), what + " [" + i + "]");
        }
    }

    /** One parameter's update, element by element in double. */
    private static final class Reference {
        final double[] weights, first, second;
        final double decay;
        int t;

        Reference(float[] w, double decay) {
            weights = new double[w.length];
            for (int i = 0; i < w.length; i++) weights[i] = w[i];
            first = new double[w.length];
            second = new double[w.length];
            this.decay = decay;
        }

        void update(String kind, float[] g, double lr, double momentum) {
            t++;
            for (int i = 0; i < weights.length; i++) {
                if (kind.equals("adamw")) {
                    weights[i] *= 1 - lr * decay;
                    first[i] = 0.9 * first[i] + 0.1 * g[i];
                    second[i] = 0.999 * second[i] + 0.001 * g[i] * g[i];
                    double stepSize = lr * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
                    weights[i] -= stepSize * first[i] / (Math.sqrt(second[i]) + 1e-8);
                } else {
                    first[i] = momentum * first[i] + lr * (g[i] + decay * weights[i]);
                    weights[i] -= first[i];
                }
            }
        }
    }

    private static void backward(Parameter p, float scale) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(p.getArray().mul(dev.genre.search.net.Scalars.like(p.getArray(), scale)).sum());
        }
    }
}
