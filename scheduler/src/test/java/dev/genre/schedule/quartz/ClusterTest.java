package dev.genre.schedule.quartz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genre.io.Json;
import dev.genre.schedule.config.StoreConfig;
import dev.genre.schedule.history.RunEntry;
import dev.genre.schedule.history.RunHistory;
import dev.genre.schedule.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;

/**
 * Two clustered scheduler processes on a real PostgreSQL server (started by
 * src/test/sh/postgres-up.sh where it can be; skipped with the reason where not): every fire of a
 * frequent job runs exactly once across the nodes, never overlapping, and a node killed in the
 * middle of a job has that job recovered by the other.
 */
class ClusterTest {
    private static final long EVERY = 2_000;
    private static final String[] JOBS = {"tick", "tock"};
    @TempDir
    Path tmp;
    private final List<Process> nodes = new ArrayList<>();

    @AfterEach
    void killNodes() {
        nodes.forEach(Process::destroyForcibly);
    }

    @Test
    void everyFireRunsOnceAndADeadNodesJobIsRecovered() throws Exception {
        StoreConfig store = postgres();
        StoreConfig admin = store.withInstanceId("test-admin");
        RunHistory history;
        try (NightlyScheduler s = NightlyScheduler.open(admin)) {
            history = new RunHistory(s.database());
            // Two jobs on one cron, each longer than half the interval: a node (one worker thread) busy
            // with one must leave the other to the second node, so both nodes take fires.
            for (String name : JOBS) {
                JobDetail job = JobBuilder.newJob(RecordingJob.class).withIdentity(name, NightlyScheduler.GROUP).storeDurably().requestRecovery()
                        .usingJobData("millis", "1200").build();
                s.schedule(job, "0/2 * * * * ?", null);
            }
        }
        nodes.add(node(store, "node-a"));
        nodes.add(node(store, "node-b"));
        Thread.sleep(24_000);
        try (NightlyScheduler s = NightlyScheduler.open(admin)) {
            for (String name : JOBS) s.quartz().pauseJob(JobKey.jobKey(name, NightlyScheduler.GROUP));
        }
        Thread.sleep(3_000); // the last fires finish

        Map<String, Integer> perNode = new TreeMap<>();
        int fires = 0;
        for (String name : JOBS) {
            List<RunEntry> runs = history.list().stream().filter(e -> e.job().equals(name)).toList();
            assertTrue(runs.size() >= 8, name + ": fires in 24 s every 2 s: " + runs.size());
            for (int i = 0; i < runs.size(); i++) {
                RunEntry e = runs.get(i);
                assertEquals(1, e.attempts(), "fire " + e.runId() + " ran more than once");
                assertEquals(RunEntry.Status.SUCCEEDED, e.status(), e.toString());
                if (i > 0) {
                    assertEquals(EVERY, e.scheduledAt() - runs.get(i - 1).scheduledAt(), "a fire is missing before " + e.runId());
                    assertTrue(e.startedAt() >= runs.get(i - 1).endedAt(), "two fires of one job overlapped: " + runs.get(i - 1) + " / " + e);
                }
                perNode.merge(e.node(), 1, Integer::sum);
            }
            fires += runs.size();
        }
        assertEquals(2, perNode.size(), "both nodes took fires: " + perNode);
        System.out.println("cluster: " + fires + " fires of 2 jobs, each exactly once; per node " + perNode);

        // A long job; kill whichever node picks it up, and the other recovers it.
        try (NightlyScheduler s = NightlyScheduler.open(admin)) {
            JobDetail longJob = JobBuilder.newJob(RecordingJob.class).withIdentity("long", NightlyScheduler.GROUP).requestRecovery()
                    .usingJobData("millis", "120000").usingJobData("recoveredMillis", "500").build();
            s.quartz().scheduleJob(longJob, TriggerBuilder.newTrigger().withIdentity("long", NightlyScheduler.GROUP)
                    .startAt(new Date(System.currentTimeMillis() + 1_000)).withSchedule(SimpleScheduleBuilder.simpleSchedule()).build());
        }
        RunEntry running = waitFor(history, "long", e -> e.status() == RunEntry.Status.RUNNING, 30_000);
        Process holder = nodes.get(running.node().equals("node-a") ? 0 : 1);
        long killed = System.currentTimeMillis();
        holder.destroyForcibly(); // SIGKILL: no shutdown, no goodbye to the cluster
        holder.waitFor(10, TimeUnit.SECONDS);
        RunEntry recovered = waitFor(history, "long", e -> e.status() == RunEntry.Status.SUCCEEDED, 60_000);
        assertTrue(recovered.recovered(), recovered.toString());
        assertEquals(2, recovered.attempts(), recovered.toString());
        assertEquals(running.scheduledAt(), recovered.scheduledAt(), "the recovered run is the same fire");
        assertNotEquals(running.node(), recovered.node(), "recovered by the surviving node");
        System.out.printf("cluster: %s killed while running 'long'; %s recovered and finished it %.1f s later%n", running.node(),
                recovered.node(), (recovered.endedAt() - killed) / 1000.0);
    }

    interface Cond {
        boolean test(RunEntry e);
    }

    private static RunEntry waitFor(RunHistory h, String job, Cond c, long millis) throws Exception {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            for (RunEntry e : h.list()) if (e.job().equals(job) && c.test(e)) return e;
            Thread.sleep(100);
        }
        throw new AssertionError(job + ": not reached in " + millis + " ms: " + h.list().stream().filter(e -> e.job().equals(job)).toList());
    }

    private Process node(StoreConfig store, String id) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                ClusterNodeMain.class.getName(), Json.MAPPER.writeValueAsString(store.withInstanceId(id)))
                .redirectErrorStream(true).redirectOutput(tmp.resolve(id + ".log").toFile()).start();
        return p;
    }

    /** The test database, emptied; started by postgres-up.sh when nothing answers. Skips when neither works. */
    private StoreConfig postgres() throws Exception {
        String url = System.getenv().getOrDefault("GENRE_PG_URL", "jdbc:postgresql://localhost:5432/genre_test");
        // A 10 s misfire threshold: the fires that fall due while the node JVMs start still run as themselves, on the 2 s grid.
        StoreConfig store = new StoreConfig(url, "genre", "genre", true, 500, 10_000, "genre-cluster", null);
        if (!reachable(store)) {
            Path log = tmp.resolve("postgres-up.log");
            Process up = new ProcessBuilder("bash", Path.of("src/test/sh/postgres-up.sh").toAbsolutePath().toString()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            boolean done = up.waitFor(5, TimeUnit.MINUTES) && up.exitValue() == 0; // an apt-get that hangs must not hang the build
            if (up.isAlive()) up.destroyForcibly();
            String out = java.nio.file.Files.readString(log).trim();
            Assumptions.assumeTrue(done && reachable(store), "no PostgreSQL for the cluster test: " + out);
        }
        try (Connection c = new Database(store).connect(); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet r = c.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"})) {
                while (r.next()) {
                    String t = r.getString("TABLE_NAME");
                    if (t.startsWith("qrtz_") || t.equals("genre_runs")) tables.add(t);
                }
            }
            for (String t : tables) s.execute("DROP TABLE " + t + " CASCADE");
        }
        return store;
    }

    private static boolean reachable(StoreConfig store) {
        try (Connection c = new Database(store).connect()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }
}
