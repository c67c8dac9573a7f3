package dev.genre.search.supernet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.genre.search.space.ArchChoice;
import dev.genre.search.space.SearchSpace;
import dev.genre.search.spec.Cost;
import dev.genre.search.spec.SpecResolver;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SupernetTest {
    @Test
    void eachChildUsesExactlyItsSpecsParameters() {
        SearchSpace space = SearchSpace.mobileNetV3Small(64, 64, 5);
        try (NDManager m = NDManager.newBaseManager()) {
            Supernet net = new Supernet(space);
            net.initialize(m, DataType.FLOAT32, net.inputShape(2));
            SplittableRandom rng = new SplittableRandom(7);
            for (int i = 0; i < 12; i++) {
                ArchChoice child = space.random(rng);
                try (NDManager sub = m.newSubManager()) {
                    ChildPass pass = new ChildPass(child, BnMode.TRAIN, sub);
                    NDArray y = net.forward(pass, sub.randomNormal(net.inputShape(2)), true);
                    assertEquals(new Shape(2, 5), y.getShape());
                    long expected = Cost.total(SpecResolver.resolve(space.decode(child))).params();
                    assertEquals(expected, pass.usedElements(), child.key());
                }
            }
        }
    }

    @Test
    void trainingAChildMovesOnlyItsWeightsAndCalibratedEvalIsDeterministic() {
        SearchSpace space = SearchSpace.mobileNetV3Small(64, 64, 5);
        try (NDManager m = NDManager.newBaseManager()) {
            Supernet net = new Supernet(space);
            net.initialize(m, DataType.FLOAT32, net.inputShape(8));
            dev.genre.search.train.OptimizerState opt = new dev.genre.search.train.OptimizerState("adamw", 0.9, 0.05, net.getParameters(), m);
            SplittableRandom rng = new SplittableRandom(1);
            ArchChoice a = space.random(rng), b = space.random(rng);
            NDArray x = m.randomNormal(net.inputShape(8));
            NDArray labels = m.create(new float[] {0, 1, 2, 3, 4, 0, 1, 2});
            float before = -1, after = -1;
            java.util.Map<String, float[]> untouched = new java.util.HashMap<>();
            for (int step = 0; step < 10; step++) {
                try (NDManager sub = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    ChildPass pass = new ChildPass(a, BnMode.TRAIN, sub);
                    NDArray logits = net.forward(pass, x, true);
                    NDArray loss = logits.logSoftmax(1).mul(labels.toType(DataType.INT64, false).oneHot(5)).sum(new int[] {1}).neg().mean();
                    gc.backward(loss);
                    if (step == 0) before = loss.getFloat();
                    after = loss.getFloat();
                    java.util.Set<ai.djl.nn.Parameter> used = pass.used();
                    opt.update(1e-2, used);
                    if (step == 0) {
                        for (var p : net.getParameters()) if (!used.contains(p.getValue())) untouched.put(p.getKey(), p.getValue().getArray().toFloatArray());
                    }
                }
            }
            assertTrue(after < before, "loss " + before + " -> " + after);
            assertTrue(untouched.size() > 100, "parameters child a does not use: " + untouched.size());
            for (var p : net.getParameters()) {
                float[] was = untouched.get(p.getKey());
                if (was != null) org.junit.jupiter.api.Assertions.assertArrayEquals(was, p.getValue().getArray().toFloatArray(), p.getKey());
            }
            // Calibrate b twice on the same batches: identical statistics, identical logits.
            float[][] out = new float[2][];
            for (int r = 0; r < 2; r++) {
                try (NDManager sub = m.newSubManager()) {
                    ChildPass pass = new ChildPass(b, BnMode.CALIBRATE, sub);
                    net.forward(pass, x, false);
                    pass.calibrated();
                    net.forward(pass, x.mul(2), false);
                    pass.calibrated();
                    out[r] = net.forward(pass.mode(BnMode.EVAL), x, false).toFloatArray();
                }
            }
            org.junit.jupiter.api.Assertions.assertArrayEquals(out[0], out[1], 1e-6f);
        }
    }
}
