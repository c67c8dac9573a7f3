package dev.genre.schedule.run;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.genre.audio.mel.MelParams;
import dev.genre.dataset.DatasetPrep;
import dev.genre.dataset.Manifest;
import dev.genre.dataset.PrepOptions;
import dev.genre.dataset.SplitSpec;
import dev.genre.deploy.latency.LatencyTarget;
import dev.genre.deploy.pipeline.SearchPipeline;
import dev.genre.io.Hashes;
import dev.genre.io.Json;
import dev.genre.run.Progress;
import dev.genre.schedule.config.JobConfig;
import dev.genre.schedule.history.RunEntry;
import dev.genre.schedule.history.RunHistory;
import dev.genre.search.nas.SearchRun;
import dev.genre.search.space.SearchSpace;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What one fire of a nightly job does: regenerate the dataset incrementally from the clips folder,
 * search (resuming an interrupted run on unchanged data, else warm-starting from the last run when
 * the dataset parameters match), retrain and export, then promote the package if it beats
 * {@code models/current} on today's test split. Every step is recorded in the run history.
 */
public final class NightlyRun {
    /** The data a run directory was made from; decides whether a later run may resume or warm-start from it. */
    public static final String STAMP = "nightly.json";
    public static final String PROMOTION = "promotion.json";

    @JsonPropertyOrder({"dataSha256", "mel", "segmentFrames"})
    record DataStamp(String dataSha256, MelParams mel, int segmentFrames) {
        boolean sameParameters(DataStamp o) {
            return o != null && mel.equals(o.mel) && segmentFrames == o.segmentFrames;
        }
    }

    private final JobConfig job;
    private final Path models;
    private final RunHistory history;
    private final String node;
    private final BooleanSupplier stop;
    private final StoppableProgress progress;
    private final PrintStream log;

    public NightlyRun(JobConfig job, Path models, RunHistory history, String node, BooleanSupplier stop, Progress progress, PrintStream log) {
        this.job = job;
        this.models = models;
        this.history = history;
        this.node = node;
        this.stop = stop;
        this.progress = new StoppableProgress(progress, stop);
        this.log = log;
    }

    public RunEntry run(long scheduledAt, boolean recovering) throws Exception {
        RunEntry e = history.begin(job.name(), scheduledAt, node, recovering);
        log.printf("%s: %s on %s%s%n", e.runId(), recovering ? "recovering" : "starting", node, e.attempts() > 1 ? " (attempt " + e.attempts() + ")" : "");
        try {
            e = work(e);
        } catch (RunStopped s) {
            e = history.find(e.runId()).orElse(e) // with what the run got to record before it stopped
                    .finished(RunEntry.Status.INTERRUPTED, System.currentTimeMillis(), s.getMessage() + "; the next run resumes from the last checkpoint");
        } catch (Exception | Error x) {
            history.update(history.find(e.runId()).orElse(e).finished(RunEntry.Status.FAILED, System.currentTimeMillis(), x.toString()));
            throw x;
        }
        history.update(e);
        log.printf("%s: %s (%s)%n", e.runId(), e.status(), e.message());
        return e;
    }

    private RunEntry work(RunEntry e) throws Exception {
        Path dataset = Path.of(job.dataset());
        PrepOptions prep = new PrepOptions(MelParams.defaults(), SplitSpec.parse(job.split(), 0), PrepOptions.DEFAULT_SEGMENT_FRAMES,
                Runtime.getRuntime().availableProcessors());
        Manifest m = new DatasetPrep(prep, progress, log).run(Path.of(job.clips()), dataset);
        Manifest.Summary s = m.summary();
        String changes = String.format("+%d ~%d -%d =%d rejected %d", s.added(), s.changed(), s.removed(), s.unchanged(), s.rejected());
        // The clips with their hashes and splits, not the manifest file: its summary differs on every run.
        String data = Hashes.sha256(Json.MAPPER.writeValueAsString(List.of(m.mel(), m.segmentFrames(), m.genres(), m.clips())));
        DataStamp stamp = new DataStamp(data, m.mel(), m.segmentFrames());

        Path runs = Path.of(job.runs());
        Path runDir = runs.resolve(e.runId());
        boolean resume = stamp.equals(stampOf(runDir)); // this fire again (recovered): continue it
        if (!resume) {
            RunEntry stopped = previous(e).stream().filter(p -> p.status() == RunEntry.Status.INTERRUPTED && p.runDir() != null).findFirst().orElse(null);
            if (stopped != null && stamp.equals(stampOf(Path.of(stopped.runDir())))) {
                runDir = Path.of(stopped.runDir());
                resume = true;
            } else if (Files.exists(runDir)) {
                runDir = runs.resolve(e.runId() + "-" + e.attempts()); // this fire's earlier attempt ran on other data
            }
        }
        SearchPipeline.Options o = resume ? SearchPipeline.Options.read(runDir) : job.search().options(dataset);
        if (!resume) {
            o = o.withWarmStart(warmStartSource(e, stamp, SearchRun.spaceFor(m, o.search()), m.genres()));
            Files.createDirectories(runDir);
            Json.write(runDir.resolve(STAMP), stamp);
        }
        e = e.withSearch(runDir.toString(), o.warmStart() != null, resume, changes);
        history.update(e);

        SearchPipeline.Result r = SearchPipeline.run(o, runDir, resume, progress);
        progress.check();

        SearchPipeline.Options used = SearchPipeline.Options.read(runDir);
        LatencyTarget target = LatencyTarget.parse(used.target(), 1, 10, used.runs(), null);
        Path pkg = runDir.resolve("package");
        Promotion.Decision d = Promotion.decide(job.promotion(), pkg, models, dataset, used.search().reward(), target);
        Json.write(runDir.resolve(PROMOTION), d);
        if (d.promote()) Promotion.promote(pkg, models, e.runId());
        return e.withResult(r.winner().reward(), r.winner().testSegmentAccuracy(), r.winner().latencyMs(), d.promote())
                .finished(RunEntry.Status.SUCCEEDED, System.currentTimeMillis(), (d.promote() ? "promoted: " : "kept current: ") + d.reason());
    }

    /** The job's other runs, most recent first. */
    private List<RunEntry> previous(RunEntry e) throws java.sql.SQLException {
        return history.of(job.name()).stream().filter(p -> !p.runId().equals(e.runId())).toList();
    }

    /** The most recent earlier run with a search checkpoint of the same space, on data with the same parameters, or null. */
    private Path warmStartSource(RunEntry e, DataStamp stamp, SearchSpace space, List<String> genres) throws Exception {
        for (RunEntry p : previous(e)) {
            if (p.runDir() == null) continue;
            Path dir = Path.of(p.runDir());
            if (stamp.sameParameters(stampOf(dir)) && SearchRun.warmStartState(dir, space, genres) != null) return dir;
        }
        return null;
    }

    private static DataStamp stampOf(Path runDir) {
        Path f = runDir.resolve(STAMP);
        if (!Files.isRegularFile(f) || !Files.isRegularFile(runDir.resolve(SearchPipeline.OPTIONS))) return null;
        try {
            return Json.read(f, DataStamp.class);
        } catch (java.io.IOException x) {
            return null;
        }
    }
}
