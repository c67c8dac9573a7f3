package dev.genre.search.train;

/** Linear warm-up, then cosine decay to zero, as a function of the global step. */
public record LearningRate(double peak, long warmupSteps, long totalSteps) {
    public double at(long step) {
        if (step < warmupSteps) return peak * (step + 1) / warmupSteps;
        double progress = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
        return 0.5 * peak * (1 + Math.cos(Math.PI * Math.min(1, progress)));
    }
}
