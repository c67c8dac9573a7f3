package dev.genre.schedule.quartz;

import dev.genre.schedule.history.RunEntry;
import dev.genre.schedule.history.RunHistory;
import dev.genre.schedule.store.Database;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.InterruptableJob;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;

/**
 * A test workload with the same bookkeeping as {@link SearchJob} (one history row per fire, attempts
 * counted) but seconds of work instead of a search: how long is read from the job's data
 * ({@code millis}; a recovered fire takes {@code recoveredMillis}).
 */
@DisallowConcurrentExecution
public class RecordingJob implements InterruptableJob {
    private volatile boolean stop;

    @Override
    public void execute(JobExecutionContext ctx) throws JobExecutionException {
        try {
            Database db = (Database) ctx.getScheduler().getContext().get(NightlyScheduler.DATABASE);
            RunHistory h = new RunHistory(db);
            RunEntry e = h.begin(ctx.getJobDetail().getKey().getName(), SearchJob.scheduledAt(ctx), ctx.getScheduler().getSchedulerInstanceId(),
                    ctx.isRecovering());
            long millis = ctx.getMergedJobDataMap().containsKey("millis") ? Long.parseLong(ctx.getMergedJobDataMap().getString("millis")) : 200;
            if (ctx.isRecovering() && ctx.getMergedJobDataMap().containsKey("recoveredMillis")) {
                millis = Long.parseLong(ctx.getMergedJobDataMap().getString("recoveredMillis"));
            }
            long end = System.currentTimeMillis() + millis;
            while (System.currentTimeMillis() < end && !stop) Thread.sleep(20);
            h.update(e.finished(stop ? RunEntry.Status.INTERRUPTED : RunEntry.Status.SUCCEEDED, System.currentTimeMillis(), null));
        } catch (Exception ex) {
            throw new JobExecutionException(ex);
        }
    }

    @Override
    public void interrupt() {
        stop = true;
    }
}
