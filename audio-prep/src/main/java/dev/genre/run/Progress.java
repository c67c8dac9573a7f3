package dev.genre.run;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of long work: a progress bar on a terminal, plain log lines (at most one every few
 * seconds) when output goes to a file or CI, nothing in tests. Thread-safe.
 */
public abstract class Progress implements AutoCloseable {
    public abstract void start(String task, long total);

    public abstract void step(String detail);

    public abstract void finish();

    /** A point where long work that reports nothing (e.g. waiting for a worker process) may be stopped; no-op here. */
    public void pollStop() {}

    @Override
    public void close() {
        finish();
    }

    /** A bar when stderr is a terminal, log lines otherwise. */
    public static Progress auto() {
        return System.console() != null ? new Bar() : new Lines(System.err, 5_000);
    }

    public static Progress none() {
        return new Progress() {
            @Override public void start(String task, long total) {}
            @Override public void step(String detail) {}
            @Override public void finish() {}
        };
    }

    private static final class Bar extends Progress {
        private ProgressBar bar;

        @Override
        public synchronized void start(String task, long total) {
            finish();
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250).continuousUpdate().showSpeed().build();
        }

        @Override
        public synchronized void step(String detail) {
            if (bar == null) return;
            bar.step();
            if (detail != null) bar.setExtraMessage(detail);
        }

        @Override
        public synchronized void finish() {
            if (bar != null) bar.close();
            bar = null;
        }
    }

    static final class Lines extends Progress {
        private final PrintStream out;
        private final long intervalMillis;
        private String task;
        private long total, done, started, lastPrint;

        Lines(PrintStream out, long intervalMillis) {
            this.out = out;
            this.intervalMillis = intervalMillis;
        }

        @Override
        public synchronized void start(String task, long total) {
            this.task = task;
            this.total = total;
            this.done = 0;
            this.started = this.lastPrint = System.currentTimeMillis();
            out.printf("%s: 0/%d%n", task, total);
        }

        @Override
        public synchronized void step(String detail) {
            done++;
            long now = System.currentTimeMillis();
            if (now - lastPrint >= intervalMillis || done == total) {
                lastPrint = now;
                double secs = (now - started) / 1000.0;
                out.printf("%s: %d/%d (%.0f%%) %.1f/s%s%n", task, done, total, 100.0 * done / Math.max(1, total),
                        done / Math.max(secs, 1e-3), detail == null ? "" : " " + detail);
            }
        }

        @Override
        public synchronized void finish() {}
    }
}
