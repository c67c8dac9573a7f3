package dev.genre.schedule.run;

import dev.genre.io.Json;
import dev.genre.run.Progress;
import dev.genre.schedule.config.JobConfig;
import dev.genre.schedule.config.StoreConfig;
import dev.genre.schedule.history.RunEntry;
import dev.genre.schedule.history.RunHistory;
import dev.genre.schedule.store.Database;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One nightly run in its own JVM, started by the scheduler for every fire: libtorch's memory goes
 * back to the system when the run ends (a months-long scheduler would otherwise keep every night's
 * high-water mark), and a crash in native code fails one run, not the scheduler.
 *
 * <p>Stops at its next step, checkpointed, on SIGTERM or when its stdin closes (the scheduler died:
 * another node may already be recovering the fire, so this one must not go on).
 *
 * <p>Arguments: store JSON, job JSON, models folder, scheduled time (ms), recovering, node. Exit code 0
 * when the run succeeded or was stopped, 1 when it failed.
 */
public final class NightlyRunMain {
    private NightlyRunMain() {}

    public static void main(String[] args) throws Exception {
        StoreConfig store = Json.MAPPER.readValue(args[0], StoreConfig.class);
        JobConfig job = Json.MAPPER.readValue(args[1], JobConfig.class);
        Path models = Path.of(args[2]);
        long scheduledAt = Long.parseLong(args[3]);
        boolean recovering = Boolean.parseBoolean(args[4]);
        String node = args[5];

        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CountDownLatch recorded = new java.util.concurrent.CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.set(true);
            try {
                recorded.await(); // let the run record its state before the JVM goes
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }));
        Thread watch = new Thread(() -> {
            try {
                while (System.in.read() >= 0) { /* the scheduler never writes; EOF means it is gone */ }
            } catch (IOException ignored) {
                // a broken pipe means the same
            }
            stop.set(true);
        }, "scheduler-watch");
        watch.setDaemon(true);
        watch.start();

        int code;
        try (Progress p = Progress.auto()) {
            RunEntry e = new NightlyRun(job, models, new RunHistory(new Database(store)), node, stop::get, p, System.err).run(scheduledAt, recovering);
            code = e.status() == RunEntry.Status.FAILED ? 1 : 0;
        } catch (Exception x) {
            System.err.println(job.name() + ": run failed: " + x);
            x.printStackTrace(System.err);
            code = 1;
        }
        recorded.countDown();
        System.exit(code);
    }
}
