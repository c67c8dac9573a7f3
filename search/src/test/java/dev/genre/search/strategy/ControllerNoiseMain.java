package dev.genre.search.strategy;

import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * The sweep behind docs/search.md's controller table: ENAS on {@link SyntheticSearch#runRounds} with the spreads of a
 * real supernet's rewards. Environment: CONFIGS (lr:entropyWeight,...; 0.0035:0.0001), SEEDS (1-9), ROUNDS (24),
 * PER (25), SCALE (0.2; 0 = no signal), SHIFT (0.08), NOISE (0.04): the defaults are docs/search.md's 24 x 25 row;
 * ROUNDS=12 PER=16 SHIFT=0.03 SEEDS=1,2,3 its 12 x 16 row.
 * Run: {@code mvn -q -pl search test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt} then
 * {@code java -cp search/target/test-classes:search/target/classes:$(cat search/cp.txt) dev.genre.search.strategy.ControllerNoiseMain}.
 */
final class ControllerNoiseMain {
    private static String env(String k, String d) {
        String v = System.getenv(k);
        return v == null ? d : v;
    }

    public static void main(String[] args) {
        int rounds = Integer.parseInt(env("ROUNDS", "24")), per = Integer.parseInt(env("PER", "25"));
        for (String spec : env("CONFIGS", "0.0035:0.0001").split(",")) {
            String[] p = spec.split(":");
            double lr = Double.parseDouble(p[0]);
            StringBuilder out = new StringBuilder();
            for (String ss : env("SEEDS", "1,2,3,4,5,6,7,8,9").split(",")) {
                long seed = Long.parseLong(ss);
                SyntheticSearch task = new SyntheticSearch(seed);
                EnasConfig d = EnasConfig.defaults().withSeed(seed);
                EnasConfig c = new EnasConfig(d.hidden(), d.temperature(), d.tanhConstant(), lr, d.beta1(), d.beta2(), d.epsilon(),
                        p.length > 1 ? Double.parseDouble(p[1]) : d.entropyWeight(), d.initRange(), seed);
                long t0 = System.nanoTime();
                try (NDManager m = NDManager.newBaseManager(); EnasStrategy s = new EnasStrategy(SyntheticSearch.SPACE, c, m)) {
                    List<SyntheticSearch.Step> steps = task.runRounds(s, rounds, per, Double.parseDouble(env("SCALE", "0.2")),
                            Double.parseDouble(env("SHIFT", "0.08")), Double.parseDouble(env("NOISE", "0.04")), seed);
                    int n = steps.size();
                    out.append(String.format(" | %d: %.3f->%.3f H %.3f (%.0fs)", seed, SyntheticSearch.meanReward(steps, 0, per),
                            SyntheticSearch.meanReward(steps, n - 2 * per, n), s.entropy(), (System.nanoTime() - t0) / 1e9));
                }
            }
            System.out.println("lr:entropy " + spec + out);
        }
    }
}
