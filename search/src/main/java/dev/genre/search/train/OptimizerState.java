package dev.genre.search.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
     * The update runs as multi-tensor kernels, one call per group of parameters that share their
     * scalars (weight decay or not, and Adam's per-parameter step count), and zeroes the gradients
     * it consumed. DJL's per-parameter {@code adamUpdate} ran a dozen ops per parameter, four of them
     * allocating a full-size temporary: about 1,200 ops and 20 ms of a 180 ms MobileNetV3-Small step
     * (libtorch's profiler, {@code genre bench train --profile-steps}). DJL's
     * {@code GradientCollector.zeroGradients} is not used either: it walks every array the engine
     * holds and leaves two unclosed gradient handles per parameter behind each step.
     */
    public void update(double lr, java.util.Set<Parameter> only) {
        step++;
        Map<List<Object>, Group> groups = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i).getValue();
            if (only != null && !only.contains(p)) continue;
            long t = ++updates[i]; // Adam's bias correction counts this parameter's own updates (= step when every step updates it)
            boolean decays = decays(p);
            Group g = groups.computeIfAbsent(kind.equals("adamw") ? List.of(decays, t) : List.of(decays), k -> new Group(decays, t));
            g.add(p.getArray(), first.get(i), second.get(i));
        }
        for (Group g : groups.values()) {
            try {
                if (kind.equals("adamw")) {
                    double keep = 1 - lr * (g.decays ? weightDecay : 0);
                    double stepSize = -lr * Math.sqrt(1 - Math.pow(B2, g.t)) / (1 - Math.pow(B1, g.t));
                    ForeachUpdates.adamw(g.weights, g.grads, g.first, g.second, keep, stepSize, B1, B2, EPS);
                } else {
                    ForeachUpdates.sgd(g.weights, g.grads, g.first, g.decays ? weightDecay : 0, lr, momentum);
                }
            } finally {
                g.grads.forEach(NDArray::close);
            }
        }
    }

    /** Parameters updated with the same scalars, and their state. */
    private static final class Group {
        final boolean decays;
        final long t;
        final List<NDArray> weights = new ArrayList<>(), grads = new ArrayList<>(), first = new ArrayList<>(), second = new ArrayList<>();

        Group(boolean decays, long t) {
            this.decays = decays;
            this.t = t;
        }

        void add(NDArray w, NDArray m, NDArray v) {
            weights.add(w);
            grads.add(w.getGradient());
            first.add(m);
            second.add(v);
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
