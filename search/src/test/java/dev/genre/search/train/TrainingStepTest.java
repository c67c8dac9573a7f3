package dev.genre.search.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.genre.search.net.SpecNetwork;
import dev.genre.search.spec.NetworkSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrainingStepTest {
    /** A batch with a NaN gives a NaN loss: the step is dropped whole, and the next one trains as usual. */
    @Test
    void nonFiniteStepChangesNothing() throws Exception {
        NetworkSpec spec = NetworkSpec.load("mobilenetv3-small").withInput(1, 32, 32).withClasses(3);
        TrainConfig cfg = TrainConfig.defaults().with(1, 4, 1e-2, 0);
        try (NDManager m = NDManager.newBaseManager()) {
            SpecNetwork net = new SpecNetwork(spec);
            net.initialize(m, DataType.FLOAT32, net.inputShape(cfg.batch()));
            TrainingStep step = new TrainingStep(net, cfg, m);
            SplittableRandom rng = new SplittableRandom(1);
            float[] x = new float[cfg.batch() * 32 * 32], t = new float[cfg.batch() * 3];
            for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
            for (int b = 0; b < cfg.batch(); b++) t[b * 3 + b % 3] = 1;
            assertNotNull(step.run(x, t, 1e-2)); // running statistics and Adam moments are non-trivial from here on

            List<float[]> before = snapshot(net);
            float[] bad = x.clone();
            bad[7] = Float.NaN;
            assertNull(step.run(bad, t, 1e-2), "a NaN loss must be reported as a dropped step");
            int stats = 0;
            var params = net.getParameters();
            for (int i = 0; i < params.size(); i++) {
                float[] after = params.get(i).getValue().getArray().toFloatArray();
                String name = params.get(i).getKey();
                if (name.endsWith("runningMean") || name.endsWith("runningVar")) {
                    stats++; // poisoned by the NaN forward: restarted from (0, 1), finite
                    for (float v : after) assertEquals(name.endsWith("runningVar") ? 1f : 0f, v, name);
                } else {
                    assertArrayEquals(before.get(i), after, "weights and biases untouched: " + name);
                }
            }
            assertTrue(stats > 20, "the network has batch norms whose statistics the NaN batch poisoned");

            float[] ok = step.run(x, t, 1e-2);
            assertNotNull(ok);
            assertTrue(Float.isFinite(ok[0]), "the next step trains: loss " + ok[0]);
            for (float[] w : snapshot(net)) for (float v : w) assertTrue(Float.isFinite(v));
        }
    }

    /**
     * Steps hand their batches to libtorch through reused buffers: DJL's per-call direct buffers,
     * freed only by the garbage collector, fragmented jemalloc until a cross-validation held 24 GB.
     * The reuse must not change what a step computes: the same batches through fresh arrays
     * ({@code create(float[])}) train an identical network. Before hard-sigmoid's 1/6 was kept
     * alive until the backward pass (see Scalars), the two runs diverged wherever a garbage
     * collection fell between a forward and its backward (2 of 3 runs here).
     */
    @Test
    void stepsAllocateNoDirectMemoryAndTrainDeterministically() throws Exception {
        NetworkSpec spec = NetworkSpec.load("mobilenetv3-small").withInput(1, 32, 32).withClasses(3);
        TrainConfig cfg = TrainConfig.defaults().with(1, 4, 1e-2, 0);
        SplittableRandom rng = new SplittableRandom(2);
        float[][] xs = new float[20][cfg.batch() * 32 * 32];
        for (float[] x : xs) for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        float[] t = new float[cfg.batch() * 3];
        for (int b = 0; b < cfg.batch(); b++) t[b * 3 + b % 3] = 1;
        var direct = java.lang.management.ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
        List<float[]> staged, fresh = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager()) {
            ai.djl.engine.Engine.getInstance().setRandomSeed(5);
            SpecNetwork net = new SpecNetwork(spec);
            net.initialize(m, DataType.FLOAT32, net.inputShape(cfg.batch()));
            TrainingStep step = new TrainingStep(net, cfg, m);
            step.run(xs[0], t, 1e-3); // the two staging buffers are allocated here
            long used = direct.getMemoryUsed(), batchBytes = 4L * xs[0].length;
            for (int i = 1; i < xs.length; i++) assertNotNull(step.run(xs[i], t, 1e-3), "step " + i);
            // DJL still makes a 4-byte direct buffer per scalar operand (hard-swish's +3, /6): a few KB in 19 steps
            long grown = direct.getMemoryUsed() - used;
            assertTrue(grown < 5 * batchBytes, "19 steps grew direct memory by " + grown + " bytes; one input batch is " + batchBytes);
            staged = snapshot(net);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            ai.djl.engine.Engine.getInstance().setRandomSeed(5);
            SpecNetwork net = new SpecNetwork(spec);
            net.initialize(m, DataType.FLOAT32, net.inputShape(cfg.batch()));
            TrainingStep step = new TrainingStep(net, cfg, m);
            var ps = step.parameterStore();
            for (float[] x : xs) {
                try (NDManager sub = m.newSubManager();
                     ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                    var input = sub.create(x.clone(), net.inputShape(cfg.batch()));
                    var target = sub.create(t.clone(), new ai.djl.ndarray.types.Shape(cfg.batch(), 3));
                    gc.backward(TrainingStep.crossEntropy(net.forward(ps, new ai.djl.ndarray.NDList(input), true).singletonOrThrow(), target));
                }
                step.optimizer.update(1e-3);
            }
            fresh = snapshot(net);
        }
        for (int i = 0; i < staged.size(); i++) assertArrayEquals(fresh.get(i), staged.get(i), 1e-6f, "parameter " + i);
    }

    private static List<float[]> snapshot(SpecNetwork net) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : net.getParameters()) out.add(p.getValue().getArray().toFloatArray());
        return out;
    }
}
