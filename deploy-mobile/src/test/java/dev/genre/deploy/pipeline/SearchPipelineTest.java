package dev.genre.deploy.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genre.audio.mel.MelParams;
import dev.genre.audio.synth.SyntheticDataset;
import dev.genre.dataset.DatasetPrep;
import dev.genre.dataset.Manifest;
import dev.genre.dataset.PrepOptions;
import dev.genre.dataset.SplitSpec;
import dev.genre.deploy.latency.DeviceProfiler;
import dev.genre.deploy.latency.LatencyTarget;
import dev.genre.deploy.pkg.ModelPackage;
import dev.genre.io.Json;
import dev.genre.run.Progress;
import dev.genre.search.latency.DeviceProfile;
import dev.genre.search.latency.Precision;
import dev.genre.search.nas.MnasReward;
import dev.genre.search.nas.SearchConfig;
import dev.genre.search.nas.SearchRun;
import dev.genre.search.space.SearchSpace;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole `genre search` chain on synthesized clips with real libtorch and ONNX Runtime: a device
 * profile of this machine, a two-pass ENAS search in two worker JVMs, finalists measured, the winner and the baseline
 * retrained, exported and measured, pareto.png and the comparison written.
 */
class SearchPipelineTest {
    @TempDir
    Path tmp;

    @Test
    void searchRetrainExportAndCompare() throws Exception {
        Path clips = tmp.resolve("clips"), data = tmp.resolve("data"), out = tmp.resolve("run");
        SyntheticDataset.write(clips, new SyntheticDataset.Options(3, 6, 5, 1), Progress.none());
        new DatasetPrep(new PrepOptions(MelParams.defaults(), SplitSpec.parse("0.5,0.25,0.25", 0), 128, 2), Progress.none(),
                new PrintStream(PrintStream.nullOutputStream())).run(clips, data);
        SearchConfig c = SearchConfig.defaults("enas", MnasReward.soft(0.3), 2).withEpochs(1).withControllerSteps(3).withTopK(2);
        c = new SearchConfig(c.strategy(), 2, 0, 3, 8, 1, 2, c.reward(), c.train().with(2, 8, 3e-3, 2), c.enas(), c.evolution());
        SearchSpace space = SearchRun.spaceFor(Manifest.read(data), c);
        // A quick profile (few runs): the numbers only need to exist and cover the space.
        DeviceProfile profile = DeviceProfiler.build(space, new LatencyTarget.Local(1, 1, 3),
                new DeviceProfiler.Options(Precision.INT8, 1, 1, 3, "p50", 3, 1), Progress.none());
        Path profileFile = tmp.resolve("profile.json");
        Json.write(profileFile, profile);

        SearchPipeline.Options o = new SearchPipeline.Options(data.toString(), profileFile.toString(), c, 1, true, "local", 1, 5);
        // The passes run in worker JVMs; a 1 MB memory limit makes the first hand over after its pass.
        SearchPipeline.Result r;
        System.setProperty("genre.search.workerMemoryMb", "1");
        try {
            r = SearchPipeline.run(o, out, false, Progress.none());
        } finally {
            System.clearProperty("genre.search.workerMemoryMb");
        }
        assertEquals(2, r.searchWorkers(), "one worker per pass");
        assertEquals(6, r.search().children().size());
        assertEquals(2, r.finalists().size());
        assertTrue(r.finalists().get(0).reward() >= r.finalists().get(1).reward(), "finalists ranked by measured reward");
        assertTrue(r.finalists().get(0).measuredMs() > 0);
        assertTrue(r.winner().latencyMs() > 0 && r.baseline().latencyMs() > 0);
        assertEquals(c.reward().of(r.winner().testSegmentMacroAccuracy(), r.winner().latencyMs()), r.winner().reward(), 1e-12, "macro by default");
        for (String f : new String[] {"search.json", "finalists.json", "best-spec.json", "comparison.json", "pareto.png", "run.json",
                "package/" + ModelPackage.INT8_MODEL, "package/" + ModelPackage.LATENCY, "baseline-package/" + ModelPackage.INT8_MODEL}) {
            assertTrue(Files.size(out.resolve(f)) > 50, f);
        }
        // --resume on a finished run redoes nothing new and gives the same answer.
        SearchPipeline.Result again = SearchPipeline.run(SearchPipeline.Options.read(out), out, true, Progress.none());
        assertEquals(r.search().best().key(), again.search().best().key());
        assertEquals(0, again.searchWorkers(), "no passes left to run");

        // A profile of another space is refused up front, with the fix in the message.
        DeviceProfile other = new DeviceProfile(profile.format(), profile.created(), profile.device(), profile.precision(), 1, 1, 3, "p50", 1, 0,
                profile.calibration(), space.withClasses(10), profile.layers());
        Json.write(tmp.resolve("other.json"), other);
        IOException e = assertThrows(IOException.class, () -> SearchPipeline.run(new SearchPipeline.Options(data.toString(),
                tmp.resolve("other.json").toString(), o.search(), 1, false, "local", 1, 5), tmp.resolve("run2"), false, Progress.none()));
        assertTrue(e.getMessage().contains("--classes 3"), e.getMessage());
    }
}
