package dev.genre.search.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** MobileNetV3's squeeze-and-excitation: mean over space, 1x1 conv + relu, 1x1 conv, hard-sigmoid gate. */
public final class SqueezeExcite extends AbstractBlock {
    private static final byte VERSION = 1;
    private final Conv2d fc1;
    private final Conv2d fc2;
    private Int8Simulation int8;
    private String part;

    public SqueezeExcite(int channels, int squeeze) {
        super(VERSION);
        fc1 = addChildBlock("fc1", Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(squeeze).build());
        fc2 = addChildBlock("fc2", Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(channels).build());
    }

    Conv2d fc1() {
        return fc1;
    }

    Conv2d fc2() {
        return fc2;
    }

    /** Simulate int8 (null: off) under the exporter's name of this unit, {@code <row>.se}. */
    void simulate(Int8Simulation int8, String part) {
        this.int8 = int8;
        this.part = part;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (int8 != null) return new NDList(simulated(ps, x, training));
        // Intermediates are not closed early: see Activations.
        NDArray pooled = ai.djl.nn.pooling.Pool.globalAvgPool2d(x);
        NDArray squeezed = pooled.reshape(x.getShape().get(0), x.getShape().get(1), 1, 1);
        NDArray hidden = fc1.forward(ps, new NDList(squeezed), training).singletonOrThrow();
        NDArray logits = fc2.forward(ps, new NDList(ai.djl.nn.Activation.relu(hidden)), training).singletonOrThrow();
        return new NDList(x.mul(Activations.hardSigmoid(logits)));
    }

    /** The exported unit's graph with every tensor rounded where the quantizer rounds it (fc1's ReLU merged into fc1). */
    private NDArray simulated(ParameterStore ps, NDArray x, boolean training) {
        NDArray pooled = int8.activation(part + TensorNames.SE_POOL, ai.djl.nn.pooling.Pool.globalAvgPool2d(x));
        NDArray squeezed = pooled.reshape(x.getShape().get(0), x.getShape().get(1), 1, 1);
        NDArray hidden = int8.activation(TensorNames.activated(part + TensorNames.SE_FC1, dev.genre.search.spec.Activation.RELU),
                ai.djl.nn.Activation.relu(conv1x1(ps, fc1, squeezed, training)));
        NDArray logits = int8.activation(part + TensorNames.SE_FC2, conv1x1(ps, fc2, hidden, training));
        return int8.activation(part + TensorNames.SE_SCALE, x.mul(int8.activation(part + TensorNames.SE_GATE, Activations.hardSigmoid(logits))));
    }

    private static NDArray conv1x1(ParameterStore ps, Conv2d c, NDArray x, boolean training) {
        NDArray w = ps.getValue(c.getParameters().get("weight"), x.getDevice(), training);
        NDArray b = ps.getValue(c.getParameters().get("bias"), x.getDevice(), training);
        return Conv2d.conv2d(x, Int8Simulation.weight(Int8Simulation.local(w, x)), b).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        Shape pooled = new Shape(in.get(0), in.get(1), 1, 1);
        fc1.initialize(manager, dataType, pooled);
        fc2.initialize(manager, dataType, fc1.getOutputShapes(new Shape[] {pooled}));
    }

    long macs() {
        return fc1.getParameters().get("weight").getArray().size() + fc2.getParameters().get("weight").getArray().size();
    }
}
