package dev.genre.search.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genre.audio.mel.MelParams;
import dev.genre.audio.synth.SyntheticDataset;
import dev.genre.dataset.DatasetPrep;
import dev.genre.dataset.PrepOptions;
import dev.genre.dataset.SplitSpec;
import dev.genre.run.Progress;
import dev.genre.search.spec.NetworkSpec;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real DJL training on synthesized clips: an interrupted and resumed run ends where an uninterrupted one ends. */
class TrainerResumeTest {
    @TempDir
    Path tmp;

    @Test
    void resumedRunEqualsUninterruptedRun() throws Exception {
        assertResumesExactly(TrainConfig.defaults().with(2, 8, 3e-3, 5));
    }

    @Test
    void resumedRunWithWeightAverageEqualsUninterruptedRun() throws Exception {
        assertResumesExactly(TrainConfig.defaults().with(2, 8, 3e-3, 5).withEma(0.9));
        // The average, not the last step's weights, is what the run saves.
        byte[] lastStep = Files.readAllBytes(tmp.resolve("a/checkpoint/params-e0002.bin"));
        assertTrue(Files.exists(tmp.resolve("a/checkpoint/ema-e0002.ndlist")));
        assertTrue(!java.util.Arrays.equals(lastStep, Files.readAllBytes(tmp.resolve("a/model.params"))), "model.params holds the average");
    }

    private void assertResumesExactly(TrainConfig cfg) throws Exception {
        Path clips = tmp.resolve("clips"), data = tmp.resolve("data");
        SyntheticDataset.write(clips, new SyntheticDataset.Options(3, 6, 5, 1), Progress.none());
        new DatasetPrep(new PrepOptions(MelParams.defaults(), SplitSpec.parse("0.5,0.25,0.25", 0), 128, 2), Progress.none(),
                new PrintStream(PrintStream.nullOutputStream())).run(clips, data);
        NetworkSpec spec = NetworkSpec.load("mobilenetv3-small");

        Trainer.Result straight = new Trainer(cfg, Progress.none()).train(data, spec, tmp.resolve("a"), false, 0);
        new Trainer(cfg, Progress.none()).train(data, spec, tmp.resolve("b"), false, 1); // "killed" after epoch 1
        Trainer.Result resumed = new Trainer(cfg, Progress.none()).train(data, spec, tmp.resolve("b"), true, 0);

        assertEquals(2, straight.history().size());
        assertEquals(straight.history().size(), resumed.history().size());
        for (int e = 0; e < 2; e++) {
            assertEquals(straight.history().get(e).trainLoss(), resumed.history().get(e).trainLoss(), 1e-6, "epoch " + (e + 1) + " loss");
            assertEquals(straight.history().get(e).validSegmentAccuracy(), resumed.history().get(e).validSegmentAccuracy(), 1e-9);
        }
        assertEquals(straight.test().segmentAccuracy(), resumed.test().segmentAccuracy(), 1e-9);
        assertArrayEquals(Files.readAllBytes(tmp.resolve("a/model.params")), Files.readAllBytes(tmp.resolve("b/model.params")),
                "identical final weights");
        for (EpochMetrics m : straight.history()) assertTrue(Double.isFinite(m.trainLoss()) && m.trainLoss() > 0, "loss " + m.trainLoss());
        for (String f : new String[] {"metrics.json", "training-curves.png", "confusion.png", "spec.json", "train.json"}) {
            assertTrue(Files.size(tmp.resolve("a").resolve(f)) > 100, f);
        }
    }
}
