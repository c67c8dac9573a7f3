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

    private static List<float[]> snapshot(SpecNetwork net) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : net.getParameters()) out.add(p.getValue().getArray().toFloatArray());
        return out;
    }
}
