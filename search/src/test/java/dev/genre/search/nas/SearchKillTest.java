package dev.genre.search.nas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genre.audio.mel.MelParams;
import dev.genre.audio.synth.SyntheticDataset;
import dev.genre.dataset.DatasetPrep;
import dev.genre.dataset.PrepOptions;
import dev.genre.dataset.SplitSpec;
import dev.genre.io.Json;
import dev.genre.run.Progress;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real ENAS search process with SIGKILL in the middle of a pass, resumes it, and checks
 * that it ends exactly where an uninterrupted search ends: only the unfinished pass was redone.
 */
class SearchKillTest {
    @TempDir
    Path tmp;

    static SearchConfig config() {
        SearchConfig c = SearchConfig.defaults("enas", MnasReward.soft(1.0), 11).withEpochs(4).withControllerSteps(4);
        return new SearchConfig(c.strategy(), c.epochs(), 0, c.controllerSteps(), 8, 1, 2, c.reward(), c.train().with(4, 8, 3e-3, 11),
                c.enas(), c.evolution());
    }

    @Test
    void killedSearchResumesFromItsLastCheckpoint() throws Exception {
        Path clips = tmp.resolve("clips"), data = tmp.resolve("data"), killed = tmp.resolve("killed");
        SyntheticDataset.write(clips, new SyntheticDataset.Options(3, 6, 5, 1), Progress.none());
        new DatasetPrep(new PrepOptions(MelParams.defaults(), SplitSpec.parse("0.5,0.25,0.25", 0), 128, 2), Progress.none(),
                new PrintStream(PrintStream.nullOutputStream())).run(clips, data);

        Process p = launch(data, killed, false);
        Path state = killed.resolve(SearchRun.CHECKPOINT).resolve("state.json");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        int checkpointed = 0;
        while (p.isAlive() && System.nanoTime() < deadline) {
            if (Files.isRegularFile(state)) {
                checkpointed = Json.read(state, SearchState.class).epoch();
                if (checkpointed >= 1) break;
            }
            Thread.sleep(10);
        }
        assertTrue(p.isAlive(), "the search must still be running when it is killed: " + Files.readString(tmp.resolve("killed.log")));
        p.destroyForcibly(); // SIGKILL
        p.waitFor(30, TimeUnit.SECONDS);
        assertTrue(checkpointed >= 1 && checkpointed < 4, "killed after pass " + checkpointed);

        // Both finishing runs are fresh JVMs launched like the killed one, on one libtorch thread: the
        // test is about resuming, not about the test JVM's state or multithreaded summation order.
        Path straight = tmp.resolve("straight");
        finish(launch(data, killed, true));
        finish(launch(data, straight, false));
        SearchState a = Json.read(straight.resolve(SearchRun.CHECKPOINT).resolve("state.json"), SearchState.class);
        SearchState b = Json.read(state, SearchState.class);
        assertEquals(16, a.children().size());
        assertEquals(a.children().size(), b.children().size());
        for (int i = 0; i < a.children().size(); i++) {
            assertEquals(a.children().get(i).key(), b.children().get(i).key(), "child " + i);
            assertEquals(a.children().get(i).reward(), b.children().get(i).reward(), 1e-9, "child " + i);
        }
        assertEquals(Files.readString(straight.resolve(SearchRun.BEST_SPEC)), Files.readString(killed.resolve(SearchRun.BEST_SPEC)));
    }

    private Process launch(Path data, Path out, boolean resume) throws IOException {
        String log = out.getFileName() + (resume ? "-resumed" : "") + ".log";
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1", "-cp", System.getProperty("java.class.path"),
                SearchMain.class.getName(), data.toString(), out.toString(), Boolean.toString(resume))
                .redirectErrorStream(true).redirectOutput(tmp.resolve(log).toFile()).start();
    }

    private void finish(Process p) throws Exception {
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "search process did not finish");
        assertEquals(0, p.exitValue(), "search process failed: " + p.info());
    }
}
