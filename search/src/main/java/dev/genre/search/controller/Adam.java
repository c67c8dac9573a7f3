package dev.genre.search.controller;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam over a list of arrays, with its moments and step owned here so the search can save and
 * restore it exactly. libtorch's fused update (DJL's adamUpdate) with TensorFlow's epsilon
 * placement, as ENAS trained its controller. The trainer's optimizer works on DJL parameters
 * with fixed betas and weight-decay rules; the controller needs neither.
 */
public final class Adam {
    private final List<NDArray> params;
    private final float beta1, beta2, epsilon;
    private final List<NDArray> first = new ArrayList<>();
    private final List<NDArray> second = new ArrayList<>();
    private long step;

    public Adam(List<NDArray> params, double beta1, double beta2, double epsilon, NDManager manager) {
        this.params = List.copyOf(params);
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.epsilon = (float) epsilon;
        for (NDArray w : params) {
            first.add(manager.zeros(w.getShape(), w.getDataType()));
            second.add(manager.zeros(w.getShape(), w.getDataType()));
        }
    }

    public long step() {
        return step;
    }

    /** One step on the gradients left by the last backward pass, which it then zeroes (libtorch accumulates them). */
    public void update(double lr) {
        step++;
        float biasCorrection = (float) (lr * Math.sqrt(1 - Math.pow(beta2, step)) / (1 - Math.pow(beta1, step)));
        for (int i = 0; i < params.size(); i++) {
            NDArray w = params.get(i);
            try (NDArray g = w.getGradient()) {
                w.getNDArrayInternal().adamUpdate(new NDList(w, g, first.get(i), second.get(i)), new NDList(w), (float) lr, biasCorrection,
                        0f, 1f, Float.POSITIVE_INFINITY, beta1, beta2, epsilon, true, true);
                g.subi(g);
            }
        }
    }

    /** First moments then second moments, in parameter order. */
    public NDList state() {
        NDList l = new NDList();
        l.addAll(first);
        l.addAll(second);
        return l;
    }

    public void restore(List<NDArray> saved, long savedStep) {
        if (saved.size() != first.size() + second.size()) {
            throw new IllegalStateException("optimizer state holds " + saved.size() + " arrays, expected " + (first.size() + second.size()));
        }
        for (int i = 0; i < first.size(); i++) {
            first.get(i).set(saved.get(i).toByteBuffer());
            second.get(i).set(saved.get(first.size() + i).toByteBuffer());
        }
        step = savedStep;
    }
}
