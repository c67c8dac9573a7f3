package dev.genre.schedule.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genre.audio.synth.SyntheticDataset;
import dev.genre.dataset.Manifest;
import dev.genre.deploy.latency.DeviceProfiler;
import dev.genre.deploy.latency.LatencyTarget;
import dev.genre.deploy.pkg.ModelPackage;
import dev.genre.io.Json;
import dev.genre.run.Progress;
import dev.genre.schedule.config.JobConfig;
import dev.genre.schedule.config.ScheduleConfig;
import dev.genre.schedule.config.SearchParams;
import dev.genre.schedule.config.StoreConfig;
import dev.genre.schedule.history.RunEntry;
import dev.genre.schedule.history.RunHistory;
import dev.genre.schedule.quartz.NightlyScheduler;
import dev.genre.search.latency.DeviceProfile;
import dev.genre.search.latency.Precision;
import dev.genre.search.nas.SearchRun;
import dev.genre.search.space.SearchSpace;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.JobKey;

/**
 * Three nights of a real job on synthesized clips (real libtorch, ONNX Runtime, H2): the first,
 * fired by Quartz, promotes its package; new clips arrive and the second, warm-started from the
 * first, is stopped with the scheduler after its first search pass; the third resumes the second's
 * run and decides the promotion on the same test split.
 */
class NightlyRunTest {
    @TempDir
    Path tmp;

    @Test
    void promoteThenStopThenResume() throws Exception {
        Path clips = tmp.resolve("clips"), models = tmp.resolve("models");
        SyntheticDataset.write(clips, new SyntheticDataset.Options(3, 6, 5, 1), Progress.none());
        SearchSpace space = SearchSpace.named(SearchSpace.DEFAULT, 128, 128, 3);
        DeviceProfile profile = DeviceProfiler.build(space, new LatencyTarget.Local(1, 1, 3),
                new DeviceProfiler.Options(Precision.INT8, 1, 1, 3, "p50", 3, 1), Progress.none());
        Path profileFile = tmp.resolve("profile.json");
        Json.write(profileFile, profile);
        SearchParams search = new SearchParams(profileFile.toString(), 0.3, "enas", null, 2, 3, 2, 1, false, null, 2, "local", false, 8, null, null);
        JobConfig job = new JobConfig("nightly", "0 0 3 * * ?", "UTC", clips.toString(), tmp.resolve("dataset").toString(),
                tmp.resolve("runs").toString(), "0.5,0.25,0.25", search, null);
        StoreConfig h2 = StoreConfig.h2(tmp.resolve("db"));
        ScheduleConfig cfg = new ScheduleConfig(null, tmp.toString(), h2, models.toString(), List.of(job));

        // Night 1, fired through Quartz: nothing is current yet, so the package is promoted.
        RunHistory history;
        try (NightlyScheduler s = NightlyScheduler.open(cfg.store())) {
            history = new RunHistory(s.database());
            s.apply(cfg);
            s.start();
            s.quartz().triggerJob(JobKey.jobKey("nightly", NightlyScheduler.GROUP));
            waitFor(history, 1, 300_000);
        }
        RunEntry first = history.list().get(0);
        assertEquals(RunEntry.Status.SUCCEEDED, first.status(), first.message());
        assertTrue(first.promoted() && !first.warmStart() && !first.resumed(), first.toString());
        assertTrue(first.datasetChanges().startsWith("+18 "), first.datasetChanges());
        assertTrue(Files.isSymbolicLink(models.resolve(Promotion.CURRENT)));
        assertEquals(models.resolve(first.runId()).toRealPath(), models.resolve(Promotion.CURRENT).toRealPath());
        assertTrue(ModelPackage.open(models.resolve(Promotion.CURRENT)).hasInt8());
        List<String> genres = Manifest.read(tmp.resolve("dataset")).genres();
        assertNotNull(SearchRun.warmStartState(Path.of(first.runDir()), space, genres), "night 1 can seed a search of the same space");
        assertNull(SearchRun.warmStartState(Path.of(first.runDir()), space.withClasses(4), List.of("a", "b", "c", "d")),
                "another space (a fourth genre) starts from scratch");

        // New clips arrive. Night 2 starts from night 1's supernet and is stopped after its first pass.
        Path extra = tmp.resolve("extra");
        SyntheticDataset.write(extra, new SyntheticDataset.Options(3, 2, 5, 9), Progress.none());
        try (Stream<Path> files = Files.walk(extra)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".wav")).toList()) {
                Path to = clips.resolve(extra.relativize(f).getParent().toString()).resolve("new-" + f.getFileName());
                Files.copy(f, to);
            }
        }
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        RunEntry second;
        try (NightlyScheduler s = NightlyScheduler.open(cfg.store())) {
            s.start();
            s.quartz().triggerJob(JobKey.jobKey("nightly", NightlyScheduler.GROUP));
            // Stopping the scheduler (what genre schedule stop's SIGTERM does) once the search has checkpointed a pass.
            long end = System.currentTimeMillis() + 300_000;
            RunEntry r = null;
            while (System.currentTimeMillis() < end) {
                r = history.list().stream().filter(e -> e.scheduledAt() != first.scheduledAt()).findFirst().orElse(null);
                if (r != null && r.runDir() != null && Files.exists(Path.of(r.runDir(), "checkpoint/state.json"))) break;
                Thread.sleep(100);
            }
            assertNotNull(r, "night 2 never started");
            s.stop();
            second = history.find(r.runId()).orElseThrow();
        }
        Path run2 = Path.of(second.runDir());
        long night2 = second.scheduledAt();
        assertEquals(RunEntry.Status.INTERRUPTED, second.status(), second.message());
        assertTrue(second.warmStart(), "same space and mel parameters: warm start");
        assertEquals(Path.of(first.runDir()).toAbsolutePath().normalize().toString(), SearchRun.setupOf(run2).warmStart());
        assertTrue(second.datasetChanges().startsWith("+6 "), second.datasetChanges());
        assertEquals(first.runId(), models.resolve(Promotion.CURRENT).toRealPath().getFileName().toString(), "a stopped run promotes nothing");

        // Night 3: same data, so it resumes night 2's search where it stopped and finishes it.
        long night3 = night2 + 86_400_000L;
        RunEntry third = new NightlyRun(job, models, history, "test", () -> false, Progress.none(), quiet).run(night3, false);
        assertEquals(RunEntry.Status.SUCCEEDED, third.status(), third.message());
        assertTrue(third.resumed());
        assertEquals(run2.toString(), third.runDir());
        Promotion.Decision d = Json.read(run2.resolve(NightlyRun.PROMOTION), Promotion.Decision.class);
        assertNotNull(d.current(), "compared with the current model on the same test split");
        assertEquals(d.candidate().reward() > d.current().reward(), d.promote());
        assertEquals(d.promote(), third.promoted());
        Path current = models.resolve(Promotion.CURRENT).toRealPath();
        if (d.promote()) {
            assertEquals(models.resolve(third.runId()).toRealPath(), current);
            assertEquals(models.resolve(first.runId()).toRealPath(), models.resolve(Promotion.PREVIOUS).toRealPath());
        } else {
            assertEquals(models.resolve(first.runId()).toRealPath(), current);
            assertFalse(Files.exists(models.resolve(third.runId())));
        }
        assertEquals(3, history.list().size());
    }

    private static void waitFor(RunHistory h, int finished, long millis) throws Exception {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            if (h.list().stream().filter(e -> e.status() != RunEntry.Status.RUNNING).count() >= finished) return;
            Thread.sleep(200);
        }
        throw new AssertionError("no finished run after " + millis + " ms: " + h.list());
    }
}
