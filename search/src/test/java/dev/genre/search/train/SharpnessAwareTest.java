package dev.genre.search.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.genre.search.net.SpecNetwork;
import dev.genre.search.spec.NetworkSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Sharpness-aware steps on real libtorch: MobileNetV3-Small on 1 x 32 x 32 inputs, 3 classes, batch 4. */
class SharpnessAwareTest {
    private static final int BATCH = 4;

    @Test
    void ascentMovesTheWeightsRhoAlongTheGradientAndCloseMovesThemBack() throws Exception {
        double rho = 0.05;
        float[] x = inputs(3), t = targets();
        try (NDManager m = NDManager.newBaseManager()) {
            SpecNetwork net = network(m, 5);
            ParameterStore ps = new ParameterStore(m, false);
            List<Parameter> trained = new ArrayList<>(), stats = new ArrayList<>();
            for (Pair<String, Parameter> p : net.getParameters()) {
                if (p.getValue().requiresGradient()) trained.add(p.getValue());
                else stats.add(p.getValue());
            }
            assertTrue(stats.size() > 20, "the network's batch norms keep running statistics");
            try (NDManager step = m.newSubManager()) {
                NDArray input = step.create(x, new Shape(BATCH, 1, 32, 32)), target = step.create(t, new Shape(BATCH, 3));
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(TrainingStep.crossEntropy(net.forward(ps, new NDList(input), true).singletonOrThrow(), target));
                }
                List<float[]> w0 = values(trained), g = gradients(trained), s0 = values(stats);
                double norm = 0;
                for (float[] gi : g) for (float v : gi) norm += (double) v * v;
                norm = Math.sqrt(norm);
                assertTrue(norm > 0);

                try (SharpnessAware.Ascent moved = SharpnessAware.ascend(trained, stats, rho, step)) {
                    assertNotNull(moved);
                    List<float[]> w1 = values(trained);
                    double dist = 0;
                    for (int i = 0; i < w0.size(); i++) {
                        for (int j = 0; j < w0.get(i).length; j++) {
                            double d = w1.get(i)[j] - w0.get(i)[j];
                            dist += d * d;
                            assertEquals(rho * g.get(i)[j] / norm, d, 1e-6, "each weight moves along its gradient");
                        }
                    }
                    assertEquals(rho, Math.sqrt(dist), 1e-3 * rho, "the whole move is rho long");
                    for (float[] gi : gradients(trained)) for (float v : gi) assertEquals(0f, v, 0f, "gradients cleared for the second pass");
                    net.forward(ps, new NDList(input), true); // a training-mode pass moves the running statistics...
                    assertFalse(equal(s0, values(stats)), "the second pass updates the running statistics");
                }
                List<float[]> back = values(trained);
                for (int i = 0; i < w0.size(); i++) assertArrayEquals(w0.get(i), back.get(i), 1e-6f, "weights moved back");
                List<float[]> s2 = values(stats);
                for (int i = 0; i < s0.size(); i++) assertArrayEquals(s0.get(i), s2.get(i), "...and close puts the first pass's back");
            }
        }
    }

    /**
     * One step from the same weights on the same batch: the sharpness-aware step reports the first
     * pass's loss, leaves the batch-norm statistics as a plain step does, and moves the weights elsewhere.
     */
    @Test
    void samStepReportsTheFirstPassAndUpdatesWithTheGradientAtTheMovedWeights() throws Exception {
        float[] x = inputs(4), t = targets();
        TrainConfig plain = TrainConfig.defaults().with(1, BATCH, 1e-2, 0);
        try (NDManager m = NDManager.newBaseManager()) {
            SpecNetwork a = network(m, 9), b = network(m, 9);
            assertTrue(equal(values(a), values(b)), "same seed, same initial weights");
            Engine.getInstance().setRandomSeed(11);
            float[] pa = new TrainingStep(a, plain, m).run(x, t, 1e-2);
            Engine.getInstance().setRandomSeed(11); // same dropout masks in the first pass
            float[] pb = new TrainingStep(b, plain.withSam(0.05), m).run(x, t, 1e-2);
            assertArrayEquals(pa, pb, 1e-6f, "loss and accuracy of the first pass");
            var la = a.getParameters();
            var lb = b.getParameters();
            boolean weightsDiffer = false;
            for (int i = 0; i < la.size(); i++) {
                float[] va = la.get(i).getValue().getArray().toFloatArray(), vb = lb.get(i).getValue().getArray().toFloatArray();
                if (la.get(i).getValue().requiresGradient()) weightsDiffer |= !java.util.Arrays.equals(va, vb);
                else assertArrayEquals(va, vb, 1e-6f, "running statistics as after one pass: " + la.get(i).getKey());
            }
            assertTrue(weightsDiffer, "the update used another gradient");
        }
    }

    private static SpecNetwork network(NDManager m, int seed) throws java.io.IOException {
        Engine.getInstance().setRandomSeed(seed);
        SpecNetwork net = new SpecNetwork(NetworkSpec.load("mobilenetv3-small").withInput(1, 32, 32).withClasses(3));
        net.initialize(m, DataType.FLOAT32, net.inputShape(BATCH));
        return net;
    }

    private static float[] inputs(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[BATCH * 32 * 32];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        return x;
    }

    private static float[] targets() {
        float[] t = new float[BATCH * 3];
        for (int b = 0; b < BATCH; b++) t[b * 3 + b % 3] = 1;
        return t;
    }

    private static List<float[]> values(SpecNetwork net) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : net.getParameters()) out.add(p.getValue().getArray().toFloatArray());
        return out;
    }

    private static List<float[]> values(List<Parameter> params) {
        List<float[]> out = new ArrayList<>();
        for (Parameter p : params) out.add(p.getArray().toFloatArray());
        return out;
    }

    private static List<float[]> gradients(List<Parameter> params) {
        List<float[]> out = new ArrayList<>();
        for (Parameter p : params) {
            try (NDArray g = p.getArray().getGradient()) {
                out.add(g.toFloatArray());
            }
        }
        return out;
    }

    private static boolean equal(List<float[]> a, List<float[]> b) {
        for (int i = 0; i < a.size(); i++) if (!java.util.Arrays.equals(a.get(i), b.get(i))) return false;
        return true;
    }
}
