package dev.genre.search.supernet;

import ai.djl.ndarray.NDManager;
import dev.genre.run.Progress;
import dev.genre.search.nas.MnasReward;
import dev.genre.search.nas.SearchConfig;
import dev.genre.search.nas.SearchRun;
import dev.genre.search.space.ArchChoice;
import dev.genre.search.strategy.SearchStrategy;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Manual probe: shared-weight training with one fixed child vs uniform children (not a test). */
public final class SupernetProbeMain {
    public static void main(String[] args) throws Exception {
        boolean fixed = args[1].startsWith("fixed");
        // "mask" = a digit string of 7: 1 = the decision is sampled, 0 = it stays at the fixed child's option
        String mask = args.length > 3 ? args[3] : "1111111";
        // -Dprobe.opensAfter=N: for the first N training draws every block's op is mbconv6, then the op is sampled too
        long opensAfter = Long.getLong("probe.opensAfter", 0);
        // -Dprobe.ops=2,3: a sampled op is drawn from these op indices only
        int[] ops = java.util.Arrays.stream(System.getProperty("probe.ops", "").split(",")).filter(x -> !x.isBlank())
                .mapToInt(Integer::parseInt).toArray();
        SearchConfig c = SearchConfig.defaults("probe", MnasReward.soft(1), 0).withEpochs(Integer.parseInt(args[2])).withControllerSteps(4);
        if (args.length > 4) {
            var t = c.train();
            c = new SearchConfig(c.strategy(), c.epochs(), 0, c.controllerSteps(), c.validBatch(), c.calibrationBatches(), c.topK(), c.reward(),
                    new dev.genre.search.train.TrainConfig(t.epochs(), t.batch(), args[5], Double.parseDouble(args[4]), t.momentum(),
                            args[5].equals("sgd") ? 4e-5 : t.weightDecay(), t.warmupEpochs(), t.labelSmoothing(), t.mixupAlpha(), t.freqMasks(),
                            t.freqMaskWidth(), t.timeMasks(), t.timeMaskWidth(), t.timeStretch(), t.pitchShift(), t.genreMix(), t.emaDecay(), t.dropPath(), t.sam(), t.segmentFrames(), t.trainHop(), t.evalHop(), t.seed()), c.enas(), c.evolution());
        }
        if (Boolean.getBoolean("probe.noaug")) { // no mixup, no SpecAugment: the supernet underfits
            var t = c.train();
            c = new SearchConfig(c.strategy(), c.epochs(), 0, c.controllerSteps(), c.validBatch(), c.calibrationBatches(), c.topK(), c.reward(),
                    new dev.genre.search.train.TrainConfig(t.epochs(), t.batch(), t.optimizer(), t.lr(), t.momentum(), t.weightDecay(),
                            t.warmupEpochs(), t.labelSmoothing(), 0, 0, t.freqMaskWidth(), 0, t.timeMaskWidth(), t.timeStretch(), t.pitchShift(), t.genreMix(), t.emaDecay(), t.dropPath(), t.sam(), t.segmentFrames(), t.trainHop(),
                            t.evalHop(), t.seed()), c.enas(), c.evolution());
        }
        c = c.withUniformWarmup(Double.parseDouble(System.getProperty("probe.warmup", "0"))); // the probe's own sampling from the first pass
        try (NDManager m = NDManager.newBaseManager()) {
            SearchRun.Outcome o = new SearchRun(c, s -> 1.0, Progress.none()).run(Path.of(args[0]), Path.of("/tmp/probe-" + args[1]), false,
                    space -> new SearchStrategy() {
                        final ArchChoice one = ArchChoice.ofTokens(new int[] {2,0,1,1,1,1,0, 2,0,0,1,1,1,0, 3,1,1,1,1,1,1, 3,1,1,1,1,1,1, 2,1,1,1,1,1,1, 3,1,1,1,1,1,1, 3,1,1,1,1,1,1});
                        public String name() { return "probe"; }
                        ArchChoice draw(SplittableRandom rng) {
                            int[] t = space.random(rng).tokens(), f = one.tokens();
                            for (int i = 0; i < t.length; i++) if (mask.charAt(i % 7) == '0') t[i] = f[i];
                            if (ops.length > 0 && mask.charAt(0) == '1') for (int i = 0; i < t.length; i += 7) t[i] = ops[rng.nextInt(ops.length)];
                            return ArchChoice.ofTokens(t);
                        }
                        long draws;
                        public ArchChoice sampleForTraining(SplittableRandom rng) {
                            if (fixed) return one;
                            ArchChoice c = draw(rng);
                            if (draws++ >= opensAfter) return c;
                            int[] t = c.tokens();
                            for (int i = 0; i < t.length; i += 7) t[i] = space.ops().indexOf("mbconv6");
                            return ArchChoice.ofTokens(t);
                        }
                        public ArchChoice propose(SplittableRandom rng) { return fixed ? one : draw(rng); }
                        public void observe(ArchChoice child, double reward) {}
                        public double entropy() { return 0; }
                        public void save(Path dir) {}
                        public void load(Path dir) {}
                    }, m, 0);
            o.history().forEach(h -> System.out.printf("epoch %d loss %.3f acc %.3f best %.3f panel %s %.1fs%n", h.epoch(), h.trainLoss(),
                    h.trainAccuracy(), h.bestAccuracy(), h.panelAccuracy(), h.seconds()));
            o.finalists().forEach(f -> System.out.printf("finalist %s valid seg %.3f clip %.3f%n", f.key(), f.segmentAccuracy(), f.clipAccuracy()));
        }
    }
}
