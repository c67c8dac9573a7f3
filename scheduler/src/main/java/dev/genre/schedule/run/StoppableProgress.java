package dev.genre.schedule.run;

import dev.genre.run.Progress;
import java.util.function.BooleanSupplier;

/**
 * Progress that is also the stop point: every step of the prep, the search and the trainer reports
 * here, so a stop request ends the work within one step (one batch) instead of at the end of the
 * night. What was checkpointed before (every finished search pass and training epoch) stays.
 */
final class StoppableProgress extends Progress {
    private final Progress inner;
    private final BooleanSupplier stop;
    private volatile String task = "start";

    StoppableProgress(Progress inner, BooleanSupplier stop) {
        this.inner = inner;
        this.stop = stop;
    }

    @Override
    public void start(String task, long total) {
        this.task = task;
        check();
        inner.start(task, total);
    }

    @Override
    public void step(String detail) {
        check();
        inner.step(detail);
    }

    @Override
    public void finish() {
        inner.finish();
    }

    @Override
    public void pollStop() {
        check();
    }

    void check() {
        if (stop.getAsBoolean()) {
            inner.finish();
            throw new RunStopped(task);
        }
    }
}
