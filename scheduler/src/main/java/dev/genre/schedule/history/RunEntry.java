package dev.genre.schedule.history;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One fire of a job, as {@code genre runs} lists it. Times are epoch milliseconds.
 *
 * @param attempts  how often the fire was started (more than one: recovered after a node died, or resumed after a stop)
 * @param recovered started again by Quartz's recovery after the node running it died
 * @param warmStart the search started from the previous run's supernet and controller
 * @param resumed   the search continued an interrupted run's checkpoint
 */
@JsonPropertyOrder({"runId", "job", "scheduledAt", "startedAt", "endedAt", "node", "status", "attempts", "recovered", "warmStart", "resumed",
        "datasetChanges", "bestReward", "accuracy", "latencyMs", "promoted", "runDir", "message"})
public record RunEntry(String runId, String job, long scheduledAt, long startedAt, Long endedAt, String node, Status status, int attempts,
                       boolean recovered, Boolean warmStart, Boolean resumed, String datasetChanges, Double bestReward, Double accuracy,
                       Double latencyMs, Boolean promoted, String runDir, String message) {
    public enum Status { RUNNING, SUCCEEDED, FAILED, INTERRUPTED }

    public RunEntry finished(Status s, long endedAt, String message) {
        return new RunEntry(runId, job, scheduledAt, startedAt, endedAt, node, s, attempts, recovered, warmStart, resumed, datasetChanges,
                bestReward, accuracy, latencyMs, promoted, runDir, message);
    }

    public RunEntry withSearch(String runDir, boolean warmStart, boolean resumed, String datasetChanges) {
        return new RunEntry(runId, job, scheduledAt, startedAt, endedAt, node, status, attempts, recovered, warmStart, resumed, datasetChanges,
                bestReward, accuracy, latencyMs, promoted, runDir, message);
    }

    public RunEntry withResult(double bestReward, double accuracy, double latencyMs, boolean promoted) {
        return new RunEntry(runId, job, scheduledAt, startedAt, endedAt, node, status, attempts, recovered, warmStart, resumed, datasetChanges,
                bestReward, accuracy, latencyMs, promoted, runDir, message);
    }
}
