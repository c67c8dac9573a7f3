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
     * @param skippedSteps  minibatches whose loss or gradient was not finite: dropped, not applied
     * @param uniform       a warm-up pass: trained on uniform children, no proposals scored (best* are NaN until the first proposal)
     * @param meanReward    mean reward of the pass's scored proposals (NaN in a warm-up pass)
     * @param panelAccuracy validation accuracy through the shared weights of the fixed panel (the reference child first),
     *                      on the pass's validation minibatch
     */
    public record EpochSummary(int epoch, double lr, double trainLoss, double trainAccuracy, double bestReward, double bestAccuracy,
                               double bestLatencyMs, double entropy, double seconds, int skippedSteps, boolean uniform, double meanReward,
                               List<Double> panelAccuracy) {}
}
