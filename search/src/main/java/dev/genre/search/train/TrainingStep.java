package dev.genre.search.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.genre.search.net.SpecNetwork;
import java.util.ArrayList;
import java.util.List;

/**
 * One optimisation step on a batch of soft targets: forward, cross-entropy, backward, optimizer
 * update. The trainer and the training benchmark both run exactly this.
 */
public final class TrainingStep {
    private final SpecNetwork net;
    private final NDManager manager;
    private final ParameterStore ps;
    private final Shape inputShape;
    private final int classes;
    private final double sam;
    final OptimizerState optimizer;
    private final List<Parameter> runningStats = new ArrayList<>();
    private final StagingBuffer inputs = new StagingBuffer(), targets = new StagingBuffer();

    public TrainingStep(SpecNetwork net, TrainConfig cfg, NDManager manager) {
        this.net = net;
        this.manager = manager;
        this.ps = new ParameterStore(manager, false);
        this.inputShape = net.inputShape(cfg.batch());
        this.classes = net.spec().classes();
        this.sam = cfg.sam();
        this.optimizer = new OptimizerState(cfg.optimizer(), cfg.momentum(), cfg.weightDecay(), net.getParameters(), manager);
        for (var p : net.getParameters()) {
            if (p.getKey().endsWith("runningMean") || p.getKey().endsWith("runningVar")) runningStats.add(p.getValue());
        }
    }

    public long steps() {
        return optimizer.step;
    }

    ParameterStore parameterStore() {
        return ps;
    }

    /**
     * @return {loss, accuracy of the arg-max against the dominant target}, or null when the loss was
     *     not finite: then the gradients are dropped and batch norms whose running statistics the
     *     forward pass made non-finite restart from (0, 1) (they recover within a few dozen steps at
     *     rate 0.1; a per-step copy to restore them exactly cost native memory every step). One such
     *     step had left a cross-validation fold's network NaN for the rest of its training.
     */
    private void resetPoisonedRunningStats() {
        for (Parameter p : runningStats) {
            NDArray a = p.getArray();
            boolean finite = true;
            for (float v : a.toFloatArray()) finite &= Float.isFinite(v);
            if (!finite) a.set(new NDIndex("..."), p.getName().endsWith("runningVar") ? 1 : 0);
        }
    }

    public float[] run(float[] x, float[] t, double lr) {
        try (NDManager sub = manager.newSubManager()) {
            NDArray input = inputs.wrap(sub, x, inputShape);
            NDArray target = targets.wrap(sub, t, new Shape(inputShape.get(0), classes));
            float[] stats = forwardBackward(input, target);
            if (stats != null && sam > 0) {
                // The loss and accuracy reported are the first pass's, at the weights the step starts from.
                try (SharpnessAware.Ascent moved = SharpnessAware.ascend(optimizer.trained(), runningStats, sam, sub)) {
                    if (moved != null && forwardBackward(input, target) == null) stats = null;
                }
            }
            if (stats == null) {
                optimizer.discard(null);
                resetPoisonedRunningStats();
                return null;
            }
            optimizer.update(lr);
            return stats;
        }
    }

    /** @return {loss, accuracy}, gradients accumulated into the parameters; null when the loss is not finite */
    private float[] forwardBackward(NDArray input, NDArray target) {
        float loss, acc;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray logits = net.forward(ps, new NDList(input), true).singletonOrThrow();
            NDArray l = crossEntropy(logits, target);
            gc.backward(l);
            loss = l.getFloat();
            acc = accuracy(logits, target);
        }
        return Float.isFinite(loss) ? new float[] {loss, acc} : null;
    }

    /** Mean cross-entropy of logits [N, classes] against soft targets (label smoothing, mixup). */
    public static NDArray crossEntropy(NDArray logits, NDArray target) {
        return logits.logSoftmax(1).mul(target).sum(new int[] {1}).neg().mean();
    }

    /** Share of rows whose arg-max matches the dominant target. */
    public static float accuracy(NDArray logits, NDArray target) {
        return logits.argMax(1).eq(target.argMax(1)).toType(DataType.FLOAT32, false).mean().getFloat();
    }
}
