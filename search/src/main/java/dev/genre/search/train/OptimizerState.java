package dev.genre.search.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * AdamW or SGD with momentum, with its state (moments, step) owned here so a checkpoint can save
 * and restore it exactly. The arithmetic is DJL's adamUpdate/sgdUpdate (AdamW with decoupled decay;
 * SGD with momentum, decay added to the gradient), run as libtorch's multi-tensor kernels.
 * Batch-norm scales and all biases get no weight decay, as in timm.
 */
public final class OptimizerState {
    private static final double B1 = 0.9, B2 = 0.999, EPS = 1e-8;
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
     * The update runs as multi-tensor kernels, one call for all the parameters it updates, each
     * with its own scalars (weight decay or not, Adam's step count), and zeroes the gradients it
     * consumed. DJL's per-parameter {@code adamUpdate} ran a dozen ops per parameter, four of them
     * allocating a full-size temporary: about 1,200 ops and 20 ms of a 180 ms MobileNetV3-Small step
     * (libtorch's profiler, {@code genre bench train --profile-steps}). DJL's
     * {@code GradientCollector.zeroGradients} is not used either: it walks every array the engine
     * holds and leaves two unclosed gradient handles per parameter behind each step.
     */
    public void update(double lr, java.util.Set<Parameter> only) {
        step++;
        List<NDArray> weights = new ArrayList<>(), grads = new ArrayList<>(), m = new ArrayList<>(), v = new ArrayList<>();
        float[] keep = new float[params.size()], stepSize = new float[params.size()], decay = new float[params.size()];
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i).getValue();
            if (only != null && !only.contains(p)) continue;
            int k = weights.size();
            long t = ++updates[i]; // Adam's bias correction counts this parameter's own updates (= step when every step updates it)
            decay[k] = decays(p) ? (float) weightDecay : 0f;
            keep[k] = (float) (1 - lr * decay[k]);
            stepSize[k] = (float) (-lr * Math.sqrt(1 - Math.pow(B2, t)) / (1 - Math.pow(B1, t)));
            weights.add(p.getArray());
            grads.add(p.getArray().getGradient());
            m.add(first.get(i));
            v.add(second.get(i));
        }
        if (weights.isEmpty()) return;
        int n = weights.size();
        try {
            if (kind.equals("adamw")) {
                ForeachUpdates.adamw(weights, grads, m, v, Arrays.copyOf(keep, n), Arrays.copyOf(stepSize, n), B1, B2, EPS);
            } else {
                ForeachUpdates.sgd(weights, grads, m, Arrays.copyOf(decay, n), lr, momentum);
            }
        } finally {
            grads.forEach(NDArray::close);
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
        for (Pair<String, Parameter> p : params) {
            if (only.contains(p.getValue())) grads.add(p.getValue().getArray().getGradient());
        }
        try {
            return ForeachUpdates.clipNorm(grads, bound); // one call, one sync: per parameter it was three ops and a sync each
        } finally {
            grads.forEach(NDArray::close);
        }
    }

    /** The parameters this optimizer updates (those that take a gradient), in its order. */
    List<Parameter> trained() {
        List<Parameter> l = new ArrayList<>(params.size());
        for (Pair<String, Parameter> p : params) l.add(p.getValue());
        return l;
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
