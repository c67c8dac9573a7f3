package dev.genre.search.nas;

import java.util.List;

/**
 * What a checkpoint holds besides the weights: how far the search got and everything it scored.
 *
 * @param epoch          finished training passes
 * @param plannedEpochs  the pass count (fitted to the time budget after the first pass)
 * @param step           optimizer steps taken
 * @param seconds        wall time spent so far (across resumes)
 */
public record SearchState(int epoch, int plannedEpochs, long step, double seconds, String supernet, String optimizer, String strategy,
                          List<ChildResult> children, List<EpochSummary> history) {
    /**
     * One epoch: shared-weight training loss/accuracy, the best child so far and the controller's entropy.
     *
     * @param skippedSteps minibatches whose loss or gradient was not finite: dropped, not applied
     */
    public record EpochSummary(int epoch, double lr, double trainLoss, double trainAccuracy, double bestReward, double bestAccuracy,
                               double bestLatencyMs, double entropy, double seconds, int skippedSteps) {}
}
