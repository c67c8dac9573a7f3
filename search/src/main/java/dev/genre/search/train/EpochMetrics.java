package dev.genre.search.train;

/**
 * One epoch's training loss and accuracy (on augmented batches), validation scores and speed.
 *
 * @param samplesPerSecond training samples over the epoch's training seconds (batches, steps and the loop around them)
 * @param skippedSteps minibatches whose loss was not finite: dropped, nothing applied
 * @param stepSeconds of {@code seconds}, the time in the optimisation steps (forward, backward, update)
 * @param batchSeconds of {@code seconds}, the time filling batches (crops, SpecAugment, mixup)
 */
public record EpochMetrics(int epoch, double lr, double trainLoss, double trainAccuracy, double validSegmentAccuracy,
                           double validClipAccuracy, double samplesPerSecond, double seconds, int skippedSteps, double stepSeconds,
                           double batchSeconds) {}
