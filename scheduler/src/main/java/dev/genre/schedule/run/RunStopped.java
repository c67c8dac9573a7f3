package dev.genre.schedule.run;

/** Thrown out of a run's work when the scheduler is stopping; the search's last checkpoint is where the next run resumes. */
public final class RunStopped extends RuntimeException {
    public RunStopped(String stage) {
        super("stopped during " + stage);
    }
}
