package dev.genre.search.supernet;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.genre.search.space.ArchChoice;
import dev.genre.search.space.SearchSpace;
import dev.genre.search.train.OptimizerState;
import java.util.SplittableRandom;

/** Manual probe: time and memory of supernet training steps (not a test). */
public final class SupernetSpeedMain {
    public static void main(String[] args) {
        SearchSpace space = SearchSpace.mobileNetV3Small(128, 128, 8);
        try (NDManager m = NDManager.newBaseManager()) {
            Supernet net = new Supernet(space);
            net.initialize(m, DataType.FLOAT32, net.inputShape(32));
            OptimizerState opt = new OptimizerState("adamw", 0.9, 0.05, net.getParameters(), m);
            SplittableRandom rng = new SplittableRandom(1);
            boolean fixed = args.length > 0 && args[0].equals("fixed");
            ArchChoice c0 = space.random(rng);
            long t0 = System.nanoTime();
            for (int step = 0; step < 60; step++) {
                ArchChoice c = fixed ? c0 : space.random(rng);
                try (NDManager sub = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    ChildPass pass = new ChildPass(c, BnMode.TRAIN, sub);
                    NDArray x = sub.randomNormal(net.inputShape(32));
                    NDArray logits = net.forward(pass, x, true);
                    NDArray loss = logits.logSoftmax(1).get(":, 0").neg().mean();
                    gc.backward(loss);
                    opt.clipGradientNorm(pass.used(), 5.0);
                    opt.update(1e-3, pass.used());
                }
                if (args.length > 1) { // also score a child as the search's evaluator does: calibrate, then evaluate
                    try (NDManager stats = m.newSubManager()) {
                        ChildPass pass = new ChildPass(space.random(rng), BnMode.CALIBRATE, stats);
                        for (int b = 0; b < 3; b++) {
                            try (NDManager sub = m.newSubManager()) {
                                net.forward(pass, sub.randomNormal(net.inputShape(64)), false);
                            }
                            if (b < 2) pass.calibrated(); else pass.mode(BnMode.EVAL);
                        }
                    }
                }
                if (step % 10 == 9) {
                    double s = (System.nanoTime() - t0) / 1e9;
                    System.out.printf("step %d: %.1f samples/s, rss %d MB, base manager holds %d%n", step + 1, 10 * 32 / s, rssMb(), held(m));
                    t0 = System.nanoTime();
                }
            }
        }
    }

    public static int held(NDManager m) {
        try {
            java.lang.reflect.Field f = ai.djl.ndarray.BaseNDManager.class.getDeclaredField("resources");
            f.setAccessible(true);
            return ((java.util.Map<?, ?>) f.get(m)).size();
        } catch (ReflectiveOperationException e) {
            return -1;
        }
    }

    public static long rssMb() {
        try {
            for (String l : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS")) return Long.parseLong(l.replaceAll("\\D", "")) / 1024;
            }
        } catch (java.io.IOException e) {
            return -1;
        }
        return -1;
    }
}
