package dev.genre.search.train;

/**
 * One epoch's training loss and accuracy (on augmented batches), validation scores and speed.
 *
 * @param skippedSteps minibatches whose loss was not finite: dropped, nothing applied
 */
public record EpochMetrics(int epoch, double lr, double trainLoss, double trainAccuracy, double validSegmentAccuracy,
                           double validClipAccuracy, double samplesPerSecond, double seconds, int skippedSteps) {}
