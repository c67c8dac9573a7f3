package dev.genre.search.supernet;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.genre.dataset.SegmentDataset;
import dev.genre.dataset.Split;
import dev.genre.search.nas.SearchConfig;
import dev.genre.search.nas.MnasReward;
import dev.genre.search.space.ArchChoice;
import dev.genre.search.space.SearchSpace;
import dev.genre.search.train.Batches;
import dev.genre.search.train.Normalization;
import dev.genre.search.train.OptimizerState;
import dev.genre.search.train.StagingBuffer;
import dev.genre.search.train.TrainConfig;
import dev.genre.search.train.Trainer;
import dev.genre.search.train.TrainingStep;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Manual probe (not a test): uniform children on the shared weights, as the search trains them, and
 * for every step whose loss or gradient is not finite, which child and which parameters.
 * Run it with ONEDNN_MAX_CPU_ISA=AVX2 as the launcher does: without it, on AVX-512 CPUs, one step in eight came out NaN
 * (LibtorchConvolutionTest). Args: DATASET STEPS [lr]
 */
public final class NonFiniteProbeMain {
    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        int steps = Integer.parseInt(args[1]);
        double lr = args.length > 2 ? Double.parseDouble(args[2]) : 1e-3;
        SearchConfig cfg = SearchConfig.defaults("random", MnasReward.soft(1), 0);
        TrainConfig tc = cfg.train();
        SegmentDataset train = SegmentDataset.load(data, Split.TRAIN, tc.segmentFrames(), tc.trainHop());
        int classes = train.manifest().genres().size();
        SearchSpace space = SearchSpace.mobileNetV3Small(train.manifest().mel().nMels(), tc.segmentFrames(), classes);
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(0);
            Supernet net = new Supernet(space);
            net.initialize(m, DataType.FLOAT32, net.inputShape(tc.batch()));
            for (var pp : net.getParameters()) {
                float[] v = pp.getValue().getArray().toFloatArray();
                double mx = 0; int nf = 0;
                for (float f : v) { if (!Float.isFinite(f)) nf++; else mx = Math.max(mx, Math.abs(f)); }
                if (nf > 0 || mx > 10) System.out.printf("init %s: %d non-finite, max |w| %.3g%n", pp.getKey(), nf, mx);
            }
            if (steps == 0) return;
            OptimizerState opt = new OptimizerState(tc.optimizer(), tc.momentum(), tc.weightDecay(), net.getParameters(), m);
            Batches batches = new Batches(train, tc, Normalization.of(train), classes);
            SplittableRandom rng = new SplittableRandom(1);
            int[] order = Trainer.shuffled(train.size(), rng);
            float[] x = new float[tc.batch() * batches.perSegment], t = new float[tc.batch() * classes];
            StagingBuffer[] st = {new StagingBuffer(), new StagingBuffer()};
            int bad = 0;
            for (int s = 0; s < steps; s++) {
                int from = (s * tc.batch()) % (train.size() - tc.batch());
                batches.train(order, from, tc.batch(), rng, x, t);
                ArchChoice child = space.random(rng);
                try (NDManager sub = m.newSubManager()) {
                    NDArray in = st[0].wrap(sub, x, net.inputShape(tc.batch())), target = st[1].wrap(sub, t, new ai.djl.ndarray.types.Shape(tc.batch(), classes));
                    ChildPass pass = new ChildPass(child, BnMode.TRAIN, sub);
                    float loss;
                    float maxLogit;
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = net.forward(pass, in, true);
                        maxLogit = logits.abs().max().getFloat();
                        NDArray l = TrainingStep.crossEntropy(logits, target);
                        gc.backward(l);
                        loss = l.getFloat();
                    }
                    StringBuilder badParams = new StringBuilder();
                    for (Parameter p : pass.used()) {
                        try (NDArray g = p.getArray().getGradient()) {
                            float[] v = g.toFloatArray();
                            int nan = 0, inf = 0;
                            for (float f : v) {
                                if (Float.isNaN(f)) nan++;
                                else if (Float.isInfinite(f)) inf++;
                            }
                            if (nan + inf > 0) badParams.append(' ').append(p.getName()).append("(nan ").append(nan).append(" inf ").append(inf).append(')');
                        }
                    }
                    double norm = opt.clipGradientNorm(pass.used(), 5);
                    boolean ok = Float.isFinite(loss) && Double.isFinite(norm);
                    if (!ok) {
                        bad++;
                        boolean inputFinite = true;
                        for (float f : x) inputFinite &= Float.isFinite(f);
                        String again;
                        try (NDManager s2 = m.newSubManager()) {
                            NDArray in2 = s2.create(x, net.inputShape(tc.batch()));
                            float a = net.forward(new ChildPass(child, BnMode.TRAIN, s2), in2, true).abs().max().getFloat();
                            float b;
                            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                                b = net.forward(new ChildPass(child, BnMode.TRAIN, s2), in2, true).abs().max().getFloat();
                            }
                            again = "no-grad " + a + " grad " + b;
                        }
                        System.out.println("  input finite " + inputFinite + "; forward again: " + again);
                        System.out.printf("step %d loss %s maxLogit %s norm %s child %s%n  %s%n  bad grads:%s%n", s, loss, maxLogit, norm, child.key(),
                                space.decode(child).blocks(), badParams.length() > 80 * 40 ? badParams.substring(0, 3200) : badParams);
                        opt.discard(pass.used());
                    } else {
                        opt.update(lr, pass.used());
                        System.out.printf("step %d loss %.7f norm %.6f%n", s, loss, norm);
                    }
                }
            }
            System.out.printf("%d of %d steps not finite%n", bad, steps);
        }
    }
}
