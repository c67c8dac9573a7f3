package dev.genre.search.supernet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.genre.search.space.ArchChoice;
import dev.genre.search.space.BlockChoice;
import dev.genre.search.space.SearchSpace;
import dev.genre.search.spec.Cost;
import dev.genre.search.spec.SpecResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SupernetTest {
    @Test
    void eachChildUsesExactlyItsSpecsParameters() {
        SearchSpace space = SearchSpace.mobileNetV3Small(64, 64, 5);
        try (NDManager m = NDManager.newBaseManager()) {
            Supernet net = initialized(space, m, 2);
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
            Supernet net = initialized(space, m, 8);
            dev.genre.search.train.OptimizerState opt = new dev.genre.search.train.OptimizerState("adamw", 0.9, 0.05, net.getParameters(), m);
            SplittableRandom rng = new SplittableRandom(1);
            ArchChoice a = space.random(rng), b = space.random(rng);
            NDArray x = m.randomNormal(net.inputShape(8));
            NDArray labels = m.create(new float[] {0, 1, 2, 3, 4, 0, 1, 2});
            float before = -1, after = -1;
            java.util.Map<String, float[]> untouched = new java.util.HashMap<>();
            // 5 steps at 1e-3: the loss falls from ~1.6 to ~0.01 in every run. At 1e-2, or after ~7 steps at 1e-3 once
            // the 8 samples are memorised, Adam's momentum overshoots and the loss jumps to 2-9 (DJL's own update too).
            for (int step = 0; step < 5; step++) {
                try (NDManager sub = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    ChildPass pass = new ChildPass(a, BnMode.TRAIN, sub);
                    NDArray logits = net.forward(pass, x, true);
                    NDArray loss = logits.logSoftmax(1).mul(labels.toType(DataType.INT64, false).oneHot(5)).sum(new int[] {1}).neg().mean();
                    gc.backward(loss);
                    if (step == 0) before = loss.getFloat();
                    after = loss.getFloat();
                    java.util.Set<ai.djl.nn.Parameter> used = pass.used();
                    opt.update(1e-3, used);
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

    /**
     * Single-path sharing: with the outer ring of a block's 5x5 kernels zeroed, its 3x3 child computes exactly what
     * the 5x5 child computes (the centre, with the same alignment), for a depthwise and a regular convolution.
     */
    @Test
    void aSmallerKernelIsTheCentreOfTheLargest() {
        SearchSpace space = SearchSpace.mobileNetV3Small(64, 64, 5);
        try (NDManager m = NDManager.newBaseManager()) {
            Supernet net = initialized(space, m, 4);
            NDArray x = m.randomNormal(net.inputShape(4));
            int k3 = space.kernels().indexOf(3), k5 = space.kernels().indexOf(5), noSe = space.se().indexOf(0.0);
            for (String op : List.of("mbconv6", "conv")) {
                int o = space.ops().indexOf(op);
                List<BlockChoice> blocks = new ArrayList<>(space.random(new SplittableRandom(3)).blocks());
                blocks.set(0, new BlockChoice(o, k5, noSe, 0, 1, 1, 0));
                ArchChoice big = new ArchChoice(List.copyOf(blocks));
                blocks.set(0, new BlockChoice(o, k3, noSe, 0, 1, 1, 0));
                ArchChoice small = new ArchChoice(List.copyOf(blocks));

                float[] before5 = logits(net, big, x, m), before3 = logits(net, small, x, m);
                assertTrue(maxAbsDiff(before5, before3) > 1e-3f, op + ": the ring matters before it is zeroed");

                NDArray w = net.getParameters().get(op.equals("conv") ? "b0.l0.conv.conv.weight" : "b0.l0.mbconv.dw.weight").getArray();
                assertEquals(5, w.getShape().get(3));
                float[] v = w.toFloatArray();
                for (int i = 0; i < v.length; i++) {
                    int r = i / 5 % 5, c = i % 5;
                    if (r == 0 || c == 0 || r == 4 || c == 4) v[i] = 0;
                }
                w.set(v);
                assertArrayEquals(logits(net, big, x, m), logits(net, small, x, m), 1e-5f, op);
            }
        }
    }

    /**
     * Elastic expansion: with the project weights of mbconv6's extra expanded channels zeroed, mbconv6
     * computes exactly what mbconv3 does, so mbconv3 is the leading channels of the same weights.
     */
    @Test
    void mbconv3IsTheLeadingChannelsOfMbconv6() {
        SearchSpace space = SearchSpace.mobileNetV3Small(64, 64, 5);
        try (NDManager m = NDManager.newBaseManager()) {
            Supernet net = initialized(space, m, 4);
            NDArray x = m.randomNormal(net.inputShape(4));
            int noSe = space.se().indexOf(0.0), k = space.kernels().indexOf(5);
            List<BlockChoice> blocks = new ArrayList<>(space.random(new SplittableRandom(5)).blocks());
            blocks.set(1, new BlockChoice(space.ops().indexOf("mbconv6"), k, noSe, 0, 1, 1, 0));
            ArchChoice six = new ArchChoice(List.copyOf(blocks));
            blocks.set(1, new BlockChoice(space.ops().indexOf("mbconv3"), k, noSe, 0, 1, 1, 0));
            ArchChoice three = new ArchChoice(List.copyOf(blocks));
            assertTrue(net.getParameters().keys().stream().noneMatch(n -> n.contains("mbconv3") || n.contains("mbconv6")), "one weight set");

            float[] before6 = logits(net, six, x, m), before3 = logits(net, three, x, m);
            assertTrue(maxAbsDiff(before6, before3) > 1e-3f, "the extra channels matter before they are cut off");

            // Every layer of block 1: cut mbconv6's project off the channels mbconv3 does not have.
            List<dev.genre.search.spec.Layer> rows = SpecResolver.resolve(space.decode(three)).stream().filter(r -> r.block().equals("b1")).toList();
            for (int j = 0; j < rows.size(); j++) {
                NDArray project = net.getParameters().get("b1.l" + j + ".mbconv.project.weight").getArray();
                long out = project.getShape().get(0), e6 = project.getShape().get(1), e3 = rows.get(j).expanded();
                assertTrue(e6 > e3, "mbconv6 has more expanded channels than mbconv3: " + e6 + " vs " + e3);
                float[] v = project.toFloatArray();
                for (int o = 0; o < out; o++) for (long c = e3; c < e6; c++) v[(int) (o * e6 + c)] = 0;
                project.set(v);
            }
            assertArrayEquals(logits(net, three, x, m), logits(net, six, x, m), 1e-5f);
        }
    }

    private static float maxAbsDiff(float[] a, float[] b) {
        float largest = 0;
        for (int i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs(a[i] - b[i]));
        return largest;
    }

    private static float[] logits(Supernet net, ArchChoice child, NDArray x, NDManager m) {
        try (NDManager sub = m.newSubManager()) {
            return net.forward(new ChildPass(child, BnMode.TRAIN, sub), x, false).toFloatArray();
        }
    }

    private static Supernet initialized(SearchSpace space, NDManager m, int batch) {
        Supernet net = new Supernet(space);
        net.initialize(m, DataType.FLOAT32, net.inputShape(batch));
        return net;
    }
}
