package dev.genre.schedule.quartz;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.genre.io.Json;
import dev.genre.schedule.config.JobConfig;
import dev.genre.schedule.config.ScheduleConfig;
import dev.genre.schedule.config.StoreConfig;
import dev.genre.schedule.store.Database;
import dev.genre.schedule.store.DriverConnections;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;
import java.util.stream.Collectors;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.matchers.GroupMatcher;

/**
 * A Quartz scheduler on the JDBC job store: schedules and fired triggers live in the database, so
 * they survive restarts, a night missed while the scheduler was down fires once when it starts
 * (cron misfire policy "fire once now"), and with {@code cluster} several nodes share the jobs.
 */
public final class NightlyScheduler implements AutoCloseable {
    public static final String GROUP = "genre";
    static final String DATABASE = "genre.database";

    private final Scheduler scheduler;
    private final Database db;

    /** A job's schedule as {@code genre schedule status} shows it. */
    @JsonPropertyOrder({"job", "cron", "state", "nextFire", "previousFire"})
    public record JobStatus(String job, String cron, String state, Date nextFire, Date previousFire) {}

    private NightlyScheduler(Scheduler scheduler, Database db) {
        this.scheduler = scheduler;
        this.db = db;
    }

    /** Connects to the store (creating its tables on first use); nothing fires until {@link #start()}. */
    public static NightlyScheduler open(StoreConfig store) throws SchedulerException, SQLException, IOException {
        Database db = new Database(store);
        db.install();
        StdSchedulerFactory f = new StdSchedulerFactory(properties(store, db));
        Scheduler s = f.getScheduler();
        s.getContext().put(DATABASE, db);
        return new NightlyScheduler(s, db);
    }

    static Properties properties(StoreConfig store, Database db) {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", store.schedulerName());
        p.setProperty("org.quartz.scheduler.instanceId", store.instanceId());
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        // One search at a time per node: a second one would share the cores and skew the latency measurements.
        p.setProperty("org.quartz.threadPool.threadCount", "1");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", db.delegateClass());
        p.setProperty("org.quartz.jobStore.dataSource", "genre");
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.useProperties", "true");
        p.setProperty("org.quartz.jobStore.misfireThreshold", Long.toString(store.misfireThresholdMs()));
        p.setProperty("org.quartz.jobStore.isClustered", Boolean.toString(store.cluster()));
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", Long.toString(store.checkinMs()));
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        p.setProperty("org.quartz.dataSource.genre.connectionProvider.class", DriverConnections.class.getName());
        p.setProperty("org.quartz.dataSource.genre.url", store.url());
        p.setProperty("org.quartz.dataSource.genre.user", store.user());
        p.setProperty("org.quartz.dataSource.genre.password", store.password());
        return p;
    }

    public Database database() {
        return db;
    }

    public Scheduler quartz() {
        return scheduler;
    }

    /**
     * Makes the stored schedule match the config: jobs added or updated, jobs no longer listed removed.
     * A trigger whose cron is unchanged is kept as stored, so a fire missed while the scheduler was
     * down is still known (and fired once) when it starts.
     */
    public void apply(ScheduleConfig cfg) throws SchedulerException, IOException {
        String models = Path.of(cfg.models()).toAbsolutePath().normalize().toString();
        for (JobConfig j : cfg.jobs()) {
            JobConfig absolute = new JobConfig(j.name(), j.cron(), j.timeZone(), abs(j.clips()), abs(j.dataset()), abs(j.runs()), j.split(),
                    j.search(), j.promotion());
            JobDetail detail = JobBuilder.newJob(SearchJob.class).withIdentity(j.name(), GROUP).storeDurably().requestRecovery()
                    .usingJobData(SearchJob.JOB_JSON, Json.MAPPER.writeValueAsString(absolute)).usingJobData(SearchJob.MODELS, models).build();
            schedule(detail, j.cron(), j.timeZone());
        }
        Set<String> listed = cfg.jobs().stream().map(JobConfig::name).collect(Collectors.toSet());
        for (JobKey k : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP))) {
            if (!listed.contains(k.getName())) scheduler.deleteJob(k);
        }
    }

    /** Stores {@code detail} (replacing an older version) and its cron trigger (kept if the cron is unchanged). */
    public void schedule(JobDetail detail, String cron, String timeZone) throws SchedulerException {
        scheduler.addJob(detail, true);
        TriggerKey key = TriggerKey.triggerKey(detail.getKey().getName(), GROUP);
        TimeZone tz = timeZone == null ? TimeZone.getDefault() : TimeZone.getTimeZone(timeZone);
        Trigger old = scheduler.getTrigger(key);
        if (old instanceof CronTrigger c && c.getCronExpression().equals(cron) && c.getTimeZone().getID().equals(tz.getID())) return;
        Trigger t = TriggerBuilder.newTrigger().withIdentity(key).forJob(detail)
                .withSchedule(CronScheduleBuilder.cronSchedule(cron).inTimeZone(tz).withMisfireHandlingInstructionFireAndProceed()).build();
        if (old == null) scheduler.scheduleJob(t);
        else scheduler.rescheduleJob(key, t);
    }

    public void start() throws SchedulerException {
        scheduler.start();
    }

    public List<JobStatus> status() throws SchedulerException {
        List<JobStatus> out = new ArrayList<>();
        for (JobKey k : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP))) {
            for (Trigger t : scheduler.getTriggersOfJob(k)) {
                String cron = t instanceof CronTrigger c ? c.getCronExpression() : null;
                out.add(new JobStatus(k.getName(), cron, scheduler.getTriggerState(t.getKey()).name(), t.getNextFireTime(), t.getPreviousFireTime()));
            }
        }
        out.sort(java.util.Comparator.comparing(JobStatus::job));
        return out;
    }

    /** Asks the running jobs to stop (they end at their next step, checkpointed), then waits for them and shuts down. */
    public void stop() throws SchedulerException {
        if (scheduler.isShutdown()) return;
        scheduler.standby();
        for (JobExecutionContext c : scheduler.getCurrentlyExecutingJobs()) scheduler.interrupt(c.getFireInstanceId());
        scheduler.shutdown(true);
    }

    @Override
    public void close() throws SchedulerException {
        stop();
    }

    private static String abs(String p) {
        return Path.of(p).toAbsolutePath().normalize().toString();
    }
}
