package dev.genre.search.strategy;

import ai.djl.ndarray.NDManager;
import dev.genre.search.space.ArchChoice;
import dev.genre.search.space.SearchSpace;
import java.util.SplittableRandom;

/** Manual probe: memory of the ENAS controller over many propose/observe steps (not a test). */
public final class EnasMemoryMain {
    public static void main(String[] args) {
        SearchSpace space = SearchSpace.mobileNetV3Small(128, 128, 10);
        try (NDManager m = NDManager.newBaseManager(); EnasStrategy s = new EnasStrategy(space, EnasConfig.defaults(), m)) {
            SplittableRandom rng = new SplittableRandom(1);
            for (int i = 1; i <= 3000; i++) {
                ArchChoice c = s.propose(rng);
                s.sampleForTraining(rng);
                s.observe(c, rng.nextDouble());
                if (i % 25 == 0) s.endRound();
                if (i % 500 == 0) System.out.printf("step %d rss %d MB held %d%n", i, dev.genre.search.supernet.SupernetSpeedMain.rssMb(),
                        dev.genre.search.supernet.SupernetSpeedMain.held(m));
            }
        }
    }
}
