package dev.genre.search.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * An exponential moving average of every parameter, batch-norm running statistics included (as
 * timm's {@code ModelEmaV2} averages the whole state dict). The decay after optimizer step t is
 * {@code min(decay, (1 + t) / (10 + t))}, TensorFlow's {@code ExponentialMovingAverage} with
 * {@code num_updates}: early averages do not drag the random initialisation along, and over a
 * 1,000-step run the window grows to about a tenth of the steps taken. The shadows are updated in
 * place ({@code s = d (s - w) + w}), so a step allocates nothing.
 */
public final class WeightAverage {
    private final double decay;
    private final List<Parameter> params = new ArrayList<>(); // arrays looked up each time: loading a checkpoint replaces them
    private final List<NDArray> shadows = new ArrayList<>();
    private final NDManager manager;

    public WeightAverage(double decay, PairList<String, Parameter> all, NDManager manager) {
        if (!(decay > 0 && decay < 1)) throw new IllegalArgumentException("EMA decay must be in (0, 1), got " + decay);
        this.decay = decay;
        this.manager = manager;
        for (Pair<String, Parameter> p : all) {
            params.add(p.getValue());
            shadows.add(ParameterSnapshot.copyOf(p.getValue().getArray(), manager));
        }
    }

    /** The decay applied after optimizer step {@code step} (1-based). */
    public double decayAt(long step) {
        return Math.min(decay, (1.0 + step) / (10.0 + step));
    }

    /** Moves every shadow towards its parameter's current value. */
    public void update(long step) {
        float d = (float) decayAt(step);
        for (int i = 0; i < shadows.size(); i++) {
            NDArray w = params.get(i).getArray();
            shadows.get(i).subi(w).muli(d).addi(w);
        }
    }

    /**
     * Puts the averaged values into the network until the returned handle is closed, which puts
     * the trained values back: evaluation and export see the average, training goes on from where it was.
     */
    public Applied apply() {
        ParameterSnapshot trained = ParameterSnapshot.take(params, manager);
        for (int i = 0; i < params.size(); i++) shadows.get(i).copyTo(params.get(i).getArray());
        return () -> {
            trained.restore();
            trained.close();
        };
    }

    /** Restores the network's values on close. */
    public interface Applied extends AutoCloseable {
        @Override
        void close();
    }

    public NDList state() {
        return new NDList(shadows);
    }

    public void restore(NDList saved) {
        if (saved.size() != shadows.size()) {
            throw new IllegalStateException("EMA checkpoint holds " + saved.size() + " arrays, expected " + shadows.size());
        }
        for (int i = 0; i < shadows.size(); i++) shadows.get(i).set(saved.get(i).toByteBuffer());
    }
}
