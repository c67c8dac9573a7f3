package dev.genre.search.net;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import dev.genre.search.spec.Layer;
import dev.genre.search.spec.NetworkSpec;
import dev.genre.search.spec.SpecResolver;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Inference weights of a network as plain float arrays, batch norm folded into each convolution:
 * the one hand-off from DJL to the exporters (ONNX, quantizer), which never load libtorch.
 *
 * <p>Names are {@code <row>.<part>.weight|bias} with {@code row = block_index} (the DJL child
 * names) and part one of {@code conv, expand, dw, project, shortcut, se.fc1, se.fc2, hidden,
 * classifier}. Convolution weights are [out, in/groups, k, k], linear weights [out, in].
 */
public final class FoldedWeights {
    /** A dense row-major tensor. */
    public record Tensor(long[] shape, float[] data) {}

    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    private FoldedWeights() {}

    public static String rowName(Layer row) {
        return row.block() + "_" + row.index();
    }

    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) throw new IllegalArgumentException("no weight named " + name);
        return t;
    }

    public Map<String, Tensor> all() {
        return Collections.unmodifiableMap(tensors);
    }

    /** Reads a built (trained) network; BN folding: w' = w * g / sqrt(var + eps), b' = beta - mean * g / sqrt(var + eps). */
    public static FoldedWeights of(SpecNetwork net) {
        FoldedWeights fw = new FoldedWeights();
        Iterator<Block> steps = net.steps().iterator();
        for (Layer row : SpecResolver.resolve(net.spec())) {
            String name = rowName(row);
            switch (row.kind()) {
                case POOL -> steps.next();
                case HIDDEN, CLASSIFIER -> {
                    Block b = steps.next();
                    while (!(b instanceof Linear)) b = steps.next(); // dropout / activation steps carry no weights
                    String part = row.kind() == Layer.Kind.HIDDEN ? ".hidden" : ".classifier";
                    fw.put(name + part + ".weight", b.getParameters().get("weight").getArray());
                    fw.put(name + part + ".bias", b.getParameters().get("bias").getArray());
                    if (row.kind() == Layer.Kind.HIDDEN) steps.next(); // its activation
                }
                default -> {
                    LayerBlock lb = (LayerBlock) steps.next();
                    for (Map.Entry<String, ConvBnAct> e : lb.convs().entrySet()) fw.putFolded(name + "." + e.getKey(), e.getValue());
                    if (lb.se() != null) {
                        fw.put(name + ".se.fc1.weight", lb.se().fc1().getParameters().get("weight").getArray());
                        fw.put(name + ".se.fc1.bias", lb.se().fc1().getParameters().get("bias").getArray());
                        fw.put(name + ".se.fc2.weight", lb.se().fc2().getParameters().get("weight").getArray());
                        fw.put(name + ".se.fc2.bias", lb.se().fc2().getParameters().get("bias").getArray());
                    }
                }
            }
        }
        return fw;
    }

    /**
     * Random weights of the right shapes, for timing layers on a device without training anything.
     * He-normal convolutions and small biases keep activations in a realistic range through a stack.
     */
    public static FoldedWeights random(NetworkSpec spec, long seed) {
        return random(SpecResolver.resolve(spec), seed);
    }

    /** Random weights for some resolved rows only, e.g. the single layer of a latency-profile model. */
    public static FoldedWeights random(List<Layer> rows, long seed) {
        FoldedWeights fw = new FoldedWeights();
        SplittableRandom rng = new SplittableRandom(seed);
        for (Layer row : rows) {
            String name = rowName(row);
            switch (row.kind()) {
                case POOL -> { }
                case HIDDEN -> fw.randomConv(name + ".hidden", row.out(), row.in(), 0, rng);
                case CLASSIFIER -> fw.randomConv(name + ".classifier", row.out(), row.in(), 0, rng);
                case STEM, CONV, HEAD_CONV -> fw.randomConv(name + ".conv", row.out(), row.in(), row.kernel(), rng);
                default -> {
                    if (row.hasExpand()) fw.randomConv(name + ".expand", row.expanded(), row.in(), 1, rng);
                    fw.randomConv(name + ".dw", row.expanded(), 1, row.kernel(), rng);
                    if (row.hasSe()) {
                        fw.randomConv(name + ".se.fc1", row.squeeze(), row.expanded(), 1, rng);
                        fw.randomConv(name + ".se.fc2", row.expanded(), row.squeeze(), 1, rng);
                    }
                    fw.randomConv(name + ".project", row.out(), row.expanded(), 1, rng);
                }
            }
            if (row.shortcut() == Layer.Shortcut.POOLED_PROJECTED) fw.randomConv(name + ".shortcut", row.out(), row.in(), 1, rng);
        }
        return fw;
    }

    /** kernel 0 means a linear layer ([out, in]); otherwise a convolution ([out, in, k, k]). */
    private void randomConv(String name, int out, int in, int kernel, SplittableRandom rng) {
        long[] shape = kernel == 0 ? new long[] {out, in} : new long[] {out, in, kernel, kernel};
        int fanIn = in * Math.max(1, kernel * kernel);
        float[] w = new float[(int) ((long) out * fanIn)];
        double sd = Math.sqrt(2.0 / fanIn);
        for (int i = 0; i < w.length; i++) w[i] = (float) (gaussian(rng) * sd);
        float[] b = new float[out];
        for (int i = 0; i < out; i++) b[i] = (float) (gaussian(rng) * 0.01);
        tensors.put(name + ".weight", new Tensor(shape, w));
        tensors.put(name + ".bias", new Tensor(new long[] {out}, b));
    }

    private static double gaussian(SplittableRandom rng) {
        double u = 1 - rng.nextDouble(), v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private void put(String name, NDArray a) {
        tensors.put(name, new Tensor(a.getShape().getShape(), a.toFloatArray()));
    }

    private void putFolded(String name, ConvBnAct c) {
        NDArray w = c.conv().getParameters().get("weight").getArray();
        BatchNorm bn = c.bn();
        float[] gamma = bn.getParameters().get("gamma").getArray().toFloatArray();
        float[] beta = bn.getParameters().get("beta").getArray().toFloatArray();
        float[] mean = bn.getParameters().get("runningMean").getArray().toFloatArray();
        float[] var = bn.getParameters().get("runningVar").getArray().toFloatArray();
        float[] wf = w.toFloatArray();
        int out = gamma.length, per = wf.length / out;
        float[] bias = new float[out];
        for (int o = 0; o < out; o++) {
            double scale = gamma[o] / Math.sqrt(var[o] + ConvBnAct.BN_EPS);
            for (int i = 0; i < per; i++) wf[o * per + i] = (float) (wf[o * per + i] * scale);
            bias[o] = (float) (beta[o] - mean[o] * scale);
        }
        tensors.put(name + ".weight", new Tensor(w.getShape().getShape(), wf));
        tensors.put(name + ".bias", new Tensor(new long[] {out}, bias));
    }
}
