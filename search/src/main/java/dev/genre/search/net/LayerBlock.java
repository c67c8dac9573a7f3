package dev.genre.search.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.genre.search.spec.Layer;

/**
 * One convolutional row of a resolved spec (stem, conv, dconv, mbconv, head conv) with its
 * shortcut. Children are named as in torchvision ({@code expand}, {@code dw}, {@code se},
 * {@code project}, {@code shortcut}) so parameter names map one-to-one onto ONNX initializers.
 */
public final class LayerBlock extends AbstractBlock {
    private static final byte VERSION = 1;
    private final Layer row;
    private ConvBnAct conv;
    private ConvBnAct expand;
    private ConvBnAct dw;
    private SqueezeExcite se;
    private ConvBnAct project;
    private ConvBnAct shortcut;
    private Int8Simulation int8;
    private float dropPath;

    public LayerBlock(Layer row) {
        super(VERSION);
        this.row = row;
        switch (row.kind()) {
            case STEM, CONV, HEAD_CONV -> conv = addChildBlock("conv", new ConvBnAct(row.kernel(), row.stride(), 1, row.out(), row.act()));
            case DCONV, MBCONV -> {
                if (row.hasExpand()) expand = addChildBlock("expand", new ConvBnAct(1, 1, 1, row.expanded(), row.act()));
                dw = addChildBlock("dw", new ConvBnAct(row.kernel(), row.stride(), row.expanded(), row.expanded(), row.act()));
                if (row.hasSe()) se = addChildBlock("se", new SqueezeExcite(row.expanded(), row.squeeze()));
                project = addChildBlock("project", new ConvBnAct(1, 1, 1, row.out(), null));
            }
            default -> throw new IllegalArgumentException("not a convolutional row: " + row.kind());
        }
        if (row.shortcut() == Layer.Shortcut.POOLED_PROJECTED) shortcut = addChildBlock("shortcut", new ConvBnAct(1, 1, 1, row.out(), null));
    }

    public Layer row() {
        return row;
    }

    /** The convolutions of this row by part name, in graph order (the names exporters use). */
    java.util.Map<String, ConvBnAct> convs() {
        java.util.Map<String, ConvBnAct> m = new java.util.LinkedHashMap<>();
        if (conv != null) m.put("conv", conv);
        if (expand != null) m.put("expand", expand);
        if (dw != null) m.put("dw", dw);
        if (project != null) m.put("project", project);
        if (shortcut != null) m.put("shortcut", shortcut);
        return m;
    }

    SqueezeExcite se() {
        return se;
    }

    /** Simulate int8 in this row and its parts (null: off), under the exporter's names. */
    void simulate(Int8Simulation int8) {
        this.int8 = int8;
        String name = FoldedWeights.rowName(row);
        convs().forEach((part, c) -> c.simulate(int8, name + "." + part));
        if (se != null) se.simulate(int8, name + TensorNames.SE);
    }

    /**
     * Stochastic depth (Huang et al. 2016): in training, each sample skips this row's residual branch
     * (the row then passes its input through) with probability p, and a kept branch is scaled by
     * 1 / (1 - p) so inference, which always keeps it, sees the same expectation. Identity shortcuts only.
     */
    void dropPath(double p) {
        if (row.shortcut() != Layer.Shortcut.IDENTITY && p > 0) throw new IllegalArgumentException(row.block() + ": drop path needs an identity shortcut");
        this.dropPath = (float) p;
    }

    /** The row's output, or under simulation its output rounded as the quantizer rounds {@code tensor}. */
    private NDArray rounded(String suffix, NDArray x) {
        return int8 == null ? x : int8.activation(FoldedWeights.rowName(row) + suffix, x);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList y;
        if (conv != null) {
            y = conv.forward(ps, inputs, training);
        } else {
            y = inputs;
            if (expand != null) y = expand.forward(ps, y, training);
            y = dw.forward(ps, y, training);
            if (se != null) y = se.forward(ps, y, training);
            y = project.forward(ps, y, training);
        }
        NDArray out = y.singletonOrThrow();
        NDArray x = inputs.singletonOrThrow();
        return switch (row.shortcut()) {
            case NONE -> y;
            case IDENTITY -> new NDList(rounded(TensorNames.ADD, dropped(out, training).add(x)));
            case POOLED -> new NDList(rounded(TensorNames.ADD, out.add(pool(x))));
            case POOLED_PROJECTED -> new NDList(rounded(TensorNames.ADD, out.add(shortcut.forward(ps, new NDList(pool(x)), training).singletonOrThrow())));
        };
    }

    /** The branch with the samples that skip it zeroed and the others scaled up (training only; never under int8 simulation). */
    private NDArray dropped(NDArray branch, boolean training) {
        if (!training || dropPath == 0 || int8 != null) return branch;
        NDArray keep = branch.getManager().randomUniform(0, 1, new Shape(branch.getShape().get(0), 1, 1, 1)).gte(dropPath).toType(DataType.FLOAT32, false);
        return branch.mul(keep.divi(1 - dropPath));
    }

    /** stride x stride average pool, ceil mode so odd sizes match the strided convolution. */
    private NDArray pool(NDArray x) {
        if (row.stride() == 1) return x;
        Shape k = new Shape(row.stride(), row.stride());
        return rounded(TensorNames.SHORTCUT_POOL, Pool.avgPool2d(x, k, k, new Shape(0, 0), true, false));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] in) {
        Shape s = in[0];
        return new Shape[] {new Shape(s.get(0), row.out(), row.outH(), row.outW())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... in) {
        Shape s = in[0];
        if (conv != null) {
            conv.initialize(manager, dataType, s);
        } else {
            if (expand != null) {
                expand.initialize(manager, dataType, s);
                s = expand.getOutputShapes(new Shape[] {s})[0];
            }
            dw.initialize(manager, dataType, s);
            s = dw.getOutputShapes(new Shape[] {s})[0];
            if (se != null) se.initialize(manager, dataType, s);
            project.initialize(manager, dataType, s);
        }
        if (shortcut != null) shortcut.initialize(manager, dataType, new Shape(in[0].get(0), row.in(), row.outH(), row.outW()));
    }

    /** MACs measured on the built blocks: weight sizes times the spatial sizes DJL computes. */
    long macs(Shape in) {
        long m = 0;
        if (shortcut != null) m += shortcut.macs(new Shape(in.get(0), row.in(), row.outH(), row.outW()));
        if (conv != null) return m + conv.macs(in);
        Shape s = in;
        if (expand != null) {
            m += expand.macs(s);
            s = expand.getOutputShapes(new Shape[] {s})[0];
        }
        m += dw.macs(s);
        s = dw.getOutputShapes(new Shape[] {s})[0];
        if (se != null) m += se.macs();
        return m + project.macs(s);
    }
}
