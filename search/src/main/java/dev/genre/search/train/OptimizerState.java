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
    long step;

    public OptimizerState(String kind, double momentum, double weightDecay, PairList<String, Parameter> all, NDManager manager) {
        this.kind = kind;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        for (Pair<String, Parameter> p : all) {
            if (!p.getValue().requiresGradient()) continue;
            params.add(p);
            NDArray w = p.getValue().getArray();
            first.add(manager.zeros(w.getShape(), w.getDataType()));
            second.add(manager.zeros(w.getShape(), w.getDataType()));
        }
    }

    public void update(double lr) {
        update(lr, null);
    }

    /**
     * One step on the parameters in {@code only} (all when null). A supernet step trains one child:
     * the others' weights got no gradient and must not move (Adam's moments would still move them).
     */
    public void update(double lr, java.util.Set<Parameter> only) {
        step++;
        float b1 = 0.9f, b2 = 0.999f;
        float biasCorrection = (float) (lr * Math.sqrt(1 - Math.pow(b2, step)) / (1 - Math.pow(b1, step)));
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i).getValue();
            if (only != null && !only.contains(p)) continue;
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
            }
        }
    }

    private static boolean decays(Parameter p) {
        return p.getType() == Parameter.Type.WEIGHT && p.getArray().getShape().dimension() > 1;
    }

    public long step() {
        return step;
    }

    public NDList state() {
        NDList l = new NDList();
        l.addAll(first);
        l.addAll(second);
        return l;
    }

    public void restore(NDList saved, long savedStep) {
        if (saved.size() != first.size() + second.size()) {
            throw new IllegalStateException("optimizer checkpoint holds " + saved.size() + " arrays, expected " + (first.size() + second.size()));
        }
        for (int i = 0; i < first.size(); i++) {
            first.get(i).set(saved.get(i).toByteBuffer());
            second.get(i).set(saved.get(first.size() + i).toByteBuffer());
        }
        step = savedStep;
    }
}
