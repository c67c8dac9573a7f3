package dev.genre.search.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import dev.genre.search.spec.Layer;
import dev.genre.search.spec.NetworkSpec;
import dev.genre.search.spec.SpecResolver;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The DJL network of a spec: built by walking the same resolved rows that the counts, the ONNX
 * writer and the latency keys walk. Input [N, C, H, W], output logits [N, classes].
 */
public final class SpecNetwork extends AbstractBlock {
    private static final byte VERSION = 1;
    private static final Set<Parameter.Type> TRAINABLE = EnumSet.of(Parameter.Type.WEIGHT, Parameter.Type.BIAS,
            Parameter.Type.GAMMA, Parameter.Type.BETA);

    private final NetworkSpec spec;
    private final List<Layer> rows;
    private final List<Block> steps = new ArrayList<>();
    private Int8Simulation int8;

    public SpecNetwork(NetworkSpec spec) {
        super(VERSION);
        this.spec = spec;
        this.rows = SpecResolver.resolve(spec);
        for (Layer row : rows) {
            String name = row.block() + "_" + row.index();
            switch (row.kind()) {
                case POOL -> steps.add(addChildBlockSingleton(name + "_pool", Pool::globalAvgPool2d));
                case HIDDEN -> {
                    Linear fc = Linear.builder().setUnits(row.out()).build();
                    steps.add(addChildBlock(name + "_hidden", fc));
                    steps.add(addChildBlockSingleton(name + "_act", x -> Activations.apply(row.act(), x)));
                }
                case CLASSIFIER -> {
                    if (row.dropout() > 0) steps.add(addChildBlock(name + "_dropout", Dropout.builder().optRate((float) row.dropout()).build()));
                    steps.add(addChildBlock(name + "_classifier", Linear.builder().setUnits(row.out()).build()));
                }
                default -> steps.add(addChildBlock(name, new LayerBlock(row)));
            }
        }
    }

    /**
     * Stochastic depth on the identity-shortcut rows, with the drop probability rising linearly with
     * depth (row i of n convolutional rows: p * i / n), as timm schedules it: early rows, whose features
     * every later row builds on, are dropped least.
     */
    public void dropPath(double p) {
        List<LayerBlock> convRows = steps.stream().filter(LayerBlock.class::isInstance).map(LayerBlock.class::cast).toList();
        for (int i = 0; i < convRows.size(); i++) {
            LayerBlock b = convRows.get(i);
            if (b.row().shortcut() == Layer.Shortcut.IDENTITY) b.dropPath(p * i / convRows.size());
        }
    }

    List<Block> steps() {
        return steps;
    }

    public NetworkSpec spec() {
        return spec;
    }

    public Shape inputShape(int batch) {
        return new Shape(batch, spec.input()[0], spec.input()[1], spec.input()[2]);
    }

    /**
     * Run as the int8 export would (null: float again): every layer rounds its weights and activations
     * through {@code int8}; batch norm and dropout run as at inference, also in training mode.
     */
    public void simulateInt8(Int8Simulation int8) {
        this.int8 = int8;
        for (Block b : steps) if (b instanceof LayerBlock lb) lb.simulate(int8);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (int8 != null) return new NDList(simulated(ps, inputs.singletonOrThrow(), training));
        NDList x = inputs;
        for (Block b : steps) x = b.forward(ps, x, training);
        return x;
    }

    /**
     * The export's graph under int8 simulation, row by row as {@code SpecOnnxWriter} writes it: the
     * normalised input ({@code normalize}), then each row; the head's pool is also the flatten, the
     * linear layers take int8 weights, the logits stay float.
     */
    private NDArray simulated(ParameterStore ps, NDArray input, boolean training) {
        NDArray x = int8.activation(TensorNames.NORMALIZED_INPUT, input);
        java.util.Iterator<Block> it = steps.iterator();
        for (Layer row : rows) {
            String name = FoldedWeights.rowName(row);
            switch (row.kind()) {
                case POOL -> x = int8.activation(name + TensorNames.HEAD_FLATTEN, int8.activation(name + TensorNames.HEAD_POOL, Pool.globalAvgPool2d(x)));
                case HIDDEN -> {
                    x = int8.activation(name + TensorNames.HEAD_HIDDEN, linear(ps, (Linear) it.next(), x, training));
                    it.next(); // the activation step
                    x = int8.activation(TensorNames.activated(name + TensorNames.HEAD_HIDDEN, row.act()), Activations.apply(row.act(), x));
                }
                case CLASSIFIER -> {
                    Block b = it.next();
                    if (b instanceof Dropout) b = it.next();
                    x = linear(ps, (Linear) b, x, training);
                }
                default -> x = it.next().forward(ps, new NDList(x), training).singletonOrThrow();
            }
            if (row.kind() == Layer.Kind.POOL) it.next();
        }
        return x;
    }

    private static NDArray linear(ParameterStore ps, Linear fc, NDArray x, boolean training) {
        NDArray w = ps.getValue(fc.getParameters().get("weight"), x.getDevice(), training);
        NDArray b = ps.getValue(fc.getParameters().get("bias"), x.getDevice(), training);
        return Linear.linear(x, Int8Simulation.weight(Int8Simulation.local(w, x)), b).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] in) {
        return new Shape[] {new Shape(in[0].get(0), spec.classes())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... in) {
        Shape[] s = in;
        for (Block b : steps) {
            b.initialize(manager, dataType, s);
            s = b.getOutputShapes(s);
        }
    }

    /** Trainable parameters of the built network (BN running statistics are state, not parameters). */
    public long parameterCount() {
        long n = 0;
        for (Pair<String, Parameter> p : getParameters()) {
            if (TRAINABLE.contains(p.getValue().getType())) n += p.getValue().getArray().size();
        }
        return n;
    }

    /** MACs of conv and linear layers, read off the built blocks (weights and DJL's output shapes). */
    public long macCount() {
        long m = 0;
        Shape s = inputShape(1);
        for (Block b : steps) {
            if (b instanceof LayerBlock lb) m += lb.macs(s);
            else if (b instanceof Linear fc) m += fc.getParameters().get("weight").getArray().size();
            s = b.getOutputShapes(new Shape[] {s})[0];
        }
        return m;
    }

    /** Logits for one batch in inference mode. */
    public NDArray predict(ParameterStore ps, NDArray x) {
        return forward(ps, new NDList(x), false).singletonOrThrow();
    }
}
