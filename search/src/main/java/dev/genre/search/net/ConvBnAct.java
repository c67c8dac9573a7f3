package dev.genre.search.net;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.genre.search.spec.Activation;

/** k x k convolution (no bias, "same" padding, optional groups), batch norm, optional activation. */
public final class ConvBnAct extends AbstractBlock {
    private static final byte VERSION = 1;
    /** torchvision MobileNetV3's batch-norm epsilon; exporters fold with the same value. */
    public static final float BN_EPS = 1e-3f;
    /** DJL's momentum, the weight of the old statistics: 1 - PyTorch's; {@code -Dgenre.bnMomentum=0.01} gives torchvision's (PyTorch's convention). */
    private static final float BN_MOMENTUM = 1f - Float.parseFloat(System.getProperty("genre.bnMomentum", "0.1"));
    private final Conv2d conv;
    private final BatchNorm bn;
    private final Activation act;
    private final int stride, pad, groups;
    private Int8Simulation int8;
    private String part;

    public ConvBnAct(int kernel, int stride, int groups, int out, Activation act) {
        super(VERSION);
        int pad = (kernel - 1) / 2;
        this.stride = stride;
        this.pad = pad;
        this.groups = groups;
        conv = addChildBlock("conv", Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).optStride(new Shape(stride, stride))
                .optPadding(new Shape(pad, pad)).optGroups(groups).setFilters(out).optBias(false).build());
        // eps 1e-3 as torchvision's MobileNetV3; running statistics move at PyTorch's default rate 0.1
        // (DJL's momentum 0.9 counts the other way). torchvision's 0.01 suits ImageNet's 40k steps an
        // epoch; a few hundred spectrogram batches leave the statistics near their initial values.
        // The block holds the parameters; forward calls ChannelBatchNorm with the same values.
        bn = addChildBlock("bn", BatchNorm.builder().optEpsilon(BN_EPS).optMomentum(BN_MOMENTUM).build());
        this.act = act;
    }

    public Conv2d conv() {
        return conv;
    }

    BatchNorm bn() {
        return bn;
    }

    /** Simulate int8 (null: off) under the exporter's name of this convolution, {@code <row>.<part>}. */
    void simulate(Int8Simulation int8, String part) {
        this.int8 = int8;
        this.part = part;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (int8 != null) return new NDList(simulated(ps, inputs.singletonOrThrow(), training));
        NDArray x = conv.forward(ps, inputs, training).singletonOrThrow();
        Device d = x.getDevice();
        PairList<String, Parameter> p = bn.getParameters();
        NDArray y = ChannelBatchNorm.apply(x, ps.getValue(p.get("runningMean"), d, training), ps.getValue(p.get("runningVar"), d, training),
                ps.getValue(p.get("gamma"), d, training), ps.getValue(p.get("beta"), d, training), BN_MOMENTUM, BN_EPS, training);
        return new NDList(act == null ? y : Activations.apply(act, y));
    }

    /**
     * The exported layer: batch norm folded into the convolution with its running statistics (frozen),
     * int8 weights, and the output rounded where the quantizer rounds it: after a ReLU (which the
     * quantizer merges into the convolution), before and after an h-swish, or the plain output.
     */
    private NDArray simulated(ParameterStore ps, NDArray x, boolean training) {
        Device d = x.getDevice();
        PairList<String, Parameter> p = bn.getParameters();
        NDArray mean = Int8Simulation.local(ps.getValue(p.get("runningMean"), d, false), x).stopGradient();
        NDArray var = Int8Simulation.local(ps.getValue(p.get("runningVar"), d, false), x).stopGradient();
        NDArray gamma = Int8Simulation.local(ps.getValue(p.get("gamma"), d, training), x);
        NDArray beta = Int8Simulation.local(ps.getValue(p.get("beta"), d, training), x);
        NDArray k = gamma.div(var.add(BN_EPS).sqrt()); // w' = w * g / sqrt(var + eps), b' = beta - mean * g / sqrt(var + eps)
        NDArray w = Int8Simulation.local(ps.getValue(conv.getParameters().get("weight"), d, training), x);
        NDArray folded = w.mul(k.reshape(k.getShape().get(0), 1, 1, 1));
        NDArray y = Conv2d.conv2d(x, Int8Simulation.weight(folded), beta.sub(k.mul(mean)), new Shape(stride, stride), new Shape(pad, pad),
                new Shape(1, 1), groups).singletonOrThrow();
        if (act == null) return int8.activation(part, y);
        return switch (act) {
            case RELU -> int8.activation(TensorNames.activated(part, act), Activations.apply(act, y));
            case HSWISH -> int8.activation(TensorNames.activated(part, act), Activations.apply(act, int8.activation(part, y)));
        };
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes);
        bn.initialize(manager, dataType, conv.getOutputShapes(inputShapes));
    }

    /** Multiply-accumulates of the convolution for this input, from its weight and DJL's output shape. */
    long macs(Shape input) {
        Shape out = conv.getOutputShapes(new Shape[] {input})[0];
        return conv.getParameters().get("weight").getArray().size() * out.get(2) * out.get(3);
    }
}
