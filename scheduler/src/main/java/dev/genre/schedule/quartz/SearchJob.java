package dev.genre.schedule.quartz;

import dev.genre.io.Json;
import dev.genre.run.ChildJvm;
import dev.genre.schedule.store.Database;
import dev.genre.schedule.run.NightlyRunMain;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.InterruptableJob;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;

/**
 * The Quartz job of a nightly search: runs {@link NightlyRunMain} in a child JVM with this JVM's
 * settings and waits for it. Never two at once for one job (the job store enforces it across a
 * cluster too); interrupting it (stop) sends the child SIGTERM, which ends the run at its next
 * step, checkpointed.
 */
@DisallowConcurrentExecution
public final class SearchJob implements InterruptableJob {
    static final String JOB_JSON = "job.json", MODELS = "models";
    private volatile Process child;
    private volatile boolean stopRequested;

    @Override
    public void execute(JobExecutionContext ctx) throws JobExecutionException {
        JobDataMap data = ctx.getMergedJobDataMap();
        String name = ctx.getJobDetail().getKey().getName();
        try {
            Database db = (Database) ctx.getScheduler().getContext().get(NightlyScheduler.DATABASE);
            List<String> cmd = ChildJvm.command(NightlyRunMain.class.getName());
            cmd.add(Json.MAPPER.writeValueAsString(db.store()));
            cmd.add(data.getString(JOB_JSON));
            cmd.add(data.getString(MODELS));
            cmd.add(Long.toString(scheduledAt(ctx)));
            cmd.add(Boolean.toString(ctx.isRecovering()));
            cmd.add(ctx.getScheduler().getSchedulerInstanceId());
            // stdin stays a pipe the child watches: if this JVM dies, the child sees EOF and stops.
            Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            child = p;
            if (stopRequested) p.destroy();
            int code = p.waitFor();
            if (code != 0) throw new JobExecutionException(name + ": the run failed (exit code " + code + "; its error is above and in genre runs)");
        } catch (JobExecutionException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobExecutionException(name + ": interrupted", e);
        } catch (Exception e) {
            throw new JobExecutionException(name + ": " + e, e, false);
        } finally {
            Process p = child;
            if (p != null && p.isAlive()) {
                p.destroy();
                try {
                    p.waitFor(10, TimeUnit.MINUTES);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Override
    public void interrupt() {
        stopRequested = true;
        Process p = child;
        if (p != null) p.destroy(); // SIGTERM: the child stops at its next step and records INTERRUPTED
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
