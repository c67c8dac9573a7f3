package dev.genre.schedule.quartz;

import dev.genre.io.Json;
import dev.genre.run.Progress;
import dev.genre.schedule.config.JobConfig;
import dev.genre.schedule.history.RunHistory;
import dev.genre.schedule.run.NightlyRun;
import dev.genre.schedule.store.Database;
import java.nio.file.Path;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.InterruptableJob;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;

/**
 * The Quartz job of a nightly search. Never two at once for one job (the job store enforces it
 * across a cluster too); interrupting it (stop) makes the run end at its next step.
 */
@DisallowConcurrentExecution
public final class SearchJob implements InterruptableJob {
    static final String JOB_JSON = "job.json", MODELS = "models";
    private volatile boolean stopRequested;

    @Override
    public void execute(JobExecutionContext ctx) throws JobExecutionException {
        JobDataMap data = ctx.getMergedJobDataMap();
        try {
            JobConfig job = Json.MAPPER.readValue(data.getString(JOB_JSON), JobConfig.class);
            Database db = (Database) ctx.getScheduler().getContext().get(NightlyScheduler.DATABASE);
            new NightlyRun(job, Path.of(data.getString(MODELS)), new RunHistory(db), ctx.getScheduler().getSchedulerInstanceId(),
                    () -> stopRequested, Progress.auto(), System.err).run(scheduledAt(ctx), ctx.isRecovering());
        } catch (Exception e) {
            throw new JobExecutionException(ctx.getJobDetail().getKey().getName() + ": " + e, e, false);
        }
    }

    @Override
    public void interrupt() {
        stopRequested = true;
    }

    /** The time the fire was meant for; a recovered fire keeps the dead node's, so its history row is the same. */
    static long scheduledAt(JobExecutionContext ctx) throws SchedulerException {
        if (ctx.isRecovering()) {
            String original = ctx.getMergedJobDataMap().getString(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_SCHEDULED_FIRETIME_IN_MILLISECONDS);
            if (original != null) return Long.parseLong(original);
        }
        return ctx.getScheduledFireTime().getTime();
    }
}
