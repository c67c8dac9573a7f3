package dev.genre.schedule.quartz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genre.schedule.config.StoreConfig;
import dev.genre.schedule.history.RunEntry;
import dev.genre.schedule.history.RunHistory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;

/** Quartz on the embedded H2 job store, with a seconds-long workload instead of a search. */
class NightlySchedulerTest {
    @TempDir
    Path tmp;

    private StoreConfig store() {
        StoreConfig h2 = StoreConfig.h2(tmp.resolve("db"));
        return new StoreConfig(h2.url(), h2.user(), h2.password(), false, 0, 1_000, "test", null);
    }

    @Test
    void missedNightsFireOnceOnStartThenTheScheduleGoesOn() throws Exception {
        StoreConfig store = store();
        try (NightlyScheduler s = NightlyScheduler.open(store)) {
            JobDetail job = JobBuilder.newJob(RecordingJob.class).withIdentity("nightly", NightlyScheduler.GROUP).storeDurably().build();
            s.schedule(job, "0 0 3 * * ?", "UTC");
        }
        // The scheduler was down for two nights: the stored next fire is two days ago.
        long twoNightsAgo = System.currentTimeMillis() - Duration.ofDays(2).toMillis();
        try (Connection c = new dev.genre.schedule.store.Database(store).connect();
             PreparedStatement p = c.prepareStatement("UPDATE QRTZ_TRIGGERS SET NEXT_FIRE_TIME = ?")) {
            p.setLong(1, twoNightsAgo);
            assertEquals(1, p.executeUpdate());
        }
        RunHistory history;
        try (NightlyScheduler s = NightlyScheduler.open(store)) {
            history = new RunHistory(s.database());
            s.start();
            waitFor(() -> history.list().stream().anyMatch(e -> e.status() == RunEntry.Status.SUCCEEDED), 20_000);
            Thread.sleep(1_500); // time for a wrong second catch-up fire to show
            NightlyScheduler.JobStatus st = s.status().get(0);
            var next = st.nextFire().toInstant().atZone(ZoneId.of("UTC"));
            assertEquals(LocalTime.of(3, 0), next.toLocalTime(), "back on the 03:00 schedule");
            assertTrue(st.nextFire().getTime() > System.currentTimeMillis() && st.nextFire().getTime() < System.currentTimeMillis() + 86_400_000L);
        }
        List<RunEntry> runs = history.list();
        assertEquals(1, runs.size(), "two missed nights run once, not twice: " + runs);
        assertEquals(1, runs.get(0).attempts());
    }

    @Test
    void theScheduleAndHistorySurviveARestart() throws Exception {
        StoreConfig store = store();
        java.util.Date next;
        try (NightlyScheduler s = NightlyScheduler.open(store)) {
            JobDetail job = JobBuilder.newJob(RecordingJob.class).withIdentity("tick", NightlyScheduler.GROUP).storeDurably()
                    .usingJobData("millis", "50").build();
            s.schedule(job, "0/1 * * * * ?", null);
            s.start();
            waitFor(() -> new RunHistory(s.database()).list().size() >= 2, 20_000);
        }
        try (NightlyScheduler s = NightlyScheduler.open(store)) {
            List<RunEntry> runs = new RunHistory(s.database()).list();
            assertTrue(runs.size() >= 2, "history kept: " + runs);
            // Closing interrupts a fire in progress: it ends INTERRUPTED, never left RUNNING.
            assertTrue(runs.stream().allMatch(e -> e.attempts() == 1 && e.status() != RunEntry.Status.RUNNING), runs.toString());
            NightlyScheduler.JobStatus st = s.status().get(0);
            assertEquals("tick", st.job());
            assertEquals("0/1 * * * * ?", st.cron());
            next = st.nextFire();
            assertTrue(next != null);
            // Re-applying the same cron keeps the stored trigger (and with it any missed fire).
            JobDetail job = JobBuilder.newJob(RecordingJob.class).withIdentity("tick", NightlyScheduler.GROUP).storeDurably().build();
            s.schedule(job, "0/1 * * * * ?", null);
            assertEquals(next, s.status().get(0).nextFire());
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void waitFor(Check c, long millis) throws Exception {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            if (c.ok()) return;
            Thread.sleep(50);
        }
        throw new AssertionError("timed out after " + millis + " ms");
    }
}
