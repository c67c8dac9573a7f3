package dev.genre.search.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.internal.NDArrayEx;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * AdamW or SGD with momentum, with its state (moments, step) owned here so a checkpoint can save
 * and restore it exactly. The updates are libtorch's fused kernels (DJL's adamUpdate/sgdUpdate).
 * Batch-norm scales and all biases get no weight decay, as in timm.
 */
public final class OptimizerState {
    private final String kind;
    private final double momentum;
    private final double weightDecay;
    private final List<Pair<String, Parameter>> params = new ArrayList<>();
    private final List<NDArray> first = new ArrayList<>();  // Adam mean, or SGD momentum buffer
    private final List<NDArray> second = new ArrayList<>(); // Adam variance
    private long[] updates; // per parameter: a supernet parameter is updated only in the steps that use it
    private final NDManager manager;
    long step;

    public OptimizerState(String kind, double momentum, double weightDecay, PairList<String, Parameter> all, NDManager manager) {
        this.kind = kind;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.manager = manager;
        for (Pair<String, Parameter> p : all) {
            if (!p.getValue().requiresGradient()) continue;
            params.add(p);
            NDArray w = p.getValue().getArray();
            first.add(manager.zeros(w.getShape(), w.getDataType()));
            second.add(manager.zeros(w.getShape(), w.getDataType()));
        }
        updates = new long[params.size()];
    }

    public void update(double lr) {
        update(lr, null);
    }

    /**
     * One step on the parameters in {@code only} (all when null). A supernet step trains one child:
     * the others' weights got no gradient and must not move (Adam's moments would still move them).
     * Each updated parameter's gradient is zeroed here, not by DJL's {@code GradientCollector.zeroGradients},
     * which walks every array the engine holds and leaves two unclosed gradient handles per
     * parameter behind each step (a leak that made each step slower than the last).
     */
    public void update(double lr, java.util.Set<Parameter> only) {
        step++;
        float b1 = 0.9f, b2 = 0.999f;
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i).getValue();
            if (only != null && !only.contains(p)) continue;
            // Adam's bias correction counts this parameter's own updates (= step when every step updates it).
            long t = ++updates[i];
            float biasCorrection = (float) (lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t)));
            NDArray w = p.getArray();
            float wd = decays(p) ? (float) weightDecay : 0f;
            try (NDArray g = w.getGradient()) {
                NDArrayEx ex = w.getNDArrayInternal();
                if (kind.equals("adamw")) {
                    ex.adamUpdate(new NDList(w, g, first.get(i), second.get(i)), new NDList(w), (float) lr, biasCorrection, wd, 1f,
                            Float.POSITIVE_INFINITY, b1, b2, 1e-8f, true, true);
                } else {
                    ex.sgdUpdate(new NDList(w, g, first.get(i)), new NDList(w), (float) lr, wd, 1f, Float.POSITIVE_INFINITY,
                            (float) momentum, true);
                }
                g.subi(g); // consumed: zero it for the next backward (in place; discard() handles non-finite gradients)
            }
        }
    }

    /** Drops the gradients of {@code only} (all when null) without a step: a non-finite loss or gradient must not reach the weights or moments. */
    public void discard(java.util.Set<Parameter> only) {
        for (Pair<String, Parameter> p : params) {
            if (only != null && !only.contains(p.getValue())) continue;
            try (NDArray g = p.getValue().getArray().getGradient()) {
                zero(g);
            }
        }
    }

    /**
     * Overwrites with zeros: {@code g - g} would keep a NaN or infinity there for every later step.
     * Only for the rare dropped step: the indexed set allocates a full-size temporary on the
     * parameter's manager (a leak of one gradient per parameter per step when used in every update).
     */
    private static void zero(NDArray g) {
        g.set(new ai.djl.ndarray.index.NDIndex("..."), 0);
    }

    private static boolean decays(Parameter p) {
        return p.getType() == Parameter.Type.WEIGHT && p.getArray().getShape().dimension() > 1;
    }

    /** Scales the gradients of {@code only} so their global L2 norm is at most {@code bound}; returns the norm before. */
    public double clipGradientNorm(java.util.Set<Parameter> only, double bound) {
        List<NDArray> grads = new ArrayList<>();
        double sq = 0;
        for (Pair<String, Parameter> p : params) {
            if (!only.contains(p.getValue())) continue;
            NDArray g = p.getValue().getArray().getGradient();
            grads.add(g);
            try (NDArray squares = g.square(); NDArray s = squares.sum()) { // results land on the parameter's manager: close them
                sq += s.getFloat();
            }
        }
        double norm = Math.sqrt(sq);
        if (norm > bound) for (NDArray g : grads) g.muli((float) (bound / norm));
        grads.forEach(NDArray::close);
        return norm;
    }

    public long step() {
        return step;
    }

    public NDList state() {
        NDList l = new NDList();
        l.addAll(first);
        l.addAll(second);
        l.add(manager.create(updates));
        return l;
    }

    public void restore(NDList saved, long savedStep) {
        int n = first.size() + second.size();
        if (saved.size() != n && saved.size() != n + 1) {
            throw new IllegalStateException("optimizer checkpoint holds " + saved.size() + " arrays, expected " + (n + 1));
        }
        for (int i = 0; i < first.size(); i++) {
            first.get(i).set(saved.get(i).toByteBuffer());
            second.get(i).set(saved.get(first.size() + i).toByteBuffer());
        }
        step = savedStep;
        // Checkpoints before per-parameter counts: every parameter was updated every step.
        if (saved.size() == n + 1) updates = saved.get(n).toLongArray();
        else java.util.Arrays.fill(updates, savedStep);
    }
}
