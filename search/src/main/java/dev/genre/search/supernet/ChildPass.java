package dev.genre.search.supernet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.genre.search.space.ArchChoice;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * One child's view of the supernet for a sequence of forward passes: which child, how batch norm
 * behaves, the child's recalibrated statistics, and which shared parameters (and how many of
 * their elements) the child used, so the optimizer updates only those.
 */
public final class ChildPass {
    final ArchChoice child;
    private BnMode mode;
    private final NDManager statsManager;
    private final Map<String, NDArray[]> stats = new HashMap<>();
    private int calibrationBatches;
    private final Map<Parameter, Long> used = new java.util.LinkedHashMap<>();

    /** @param statsManager owns the recalibrated statistics (close it when done with the child) */
    public ChildPass(ArchChoice child, BnMode mode, NDManager statsManager) {
        this.child = child;
        this.mode = mode;
        this.statsManager = statsManager;
    }

    public ArchChoice child() {
        return child;
    }

    public BnMode mode() {
        return mode;
    }

    public ChildPass mode(BnMode m) {
        mode = m;
        return this;
    }

    /** Parameters the last forward passes touched. */
    public Set<Parameter> used() {
        return used.keySet();
    }

    /** Elements of the shared parameters this child uses: its own parameter count. */
    public long usedElements() {
        return used.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Marks the end of one calibration batch: the next averages in with weight 1 / (batches + 1). */
    public void calibrated() {
        calibrationBatches++;
    }

    int calibrationBatches() {
        return calibrationBatches;
    }

    /** The child's running mean and variance of one batch norm, created on first use. */
    NDArray[] stats(String bn, int channels) {
        return stats.computeIfAbsent(bn, k -> {
            if (mode == BnMode.EVAL) throw new IllegalStateException("batch norm " + bn + " was not calibrated for " + child.key());
            return new NDArray[] {statsManager.zeros(new ai.djl.ndarray.types.Shape(channels)),
                    statsManager.ones(new ai.djl.ndarray.types.Shape(channels))};
        });
    }

    void use(Parameter p, long elements) {
        used.put(p, elements);
    }
}
