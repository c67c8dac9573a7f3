package dev.genre.search.nas;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One scored child: when it was scored, its choices, accuracy on a validation minibatch (or on
 * the whole split for the final re-scoring), predicted latency, reward, parameters and MACs.
 */
@JsonPropertyOrder({"epoch", "step", "key", "tokens", "accuracy", "latencyMs", "reward", "params", "macs"})
public record ChildResult(int epoch, int step, String key, int[] tokens, double accuracy, double latencyMs, double reward, long params,
                          long macs) {}
