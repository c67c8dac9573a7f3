package dev.genre.deploy.quant;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.genre.deploy.onnx.SpecOnnxWriter;
import dev.genre.run.Progress;
import dev.genre.search.net.Scalars;
import dev.genre.search.train.StagingBuffer;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Adaptive rounding of int8 weights (AdaRound, Nagel et al. 2020): each weight goes to the int8
 * level below or above it, whichever set of choices keeps the layer's output on calibration
 * inputs closest to float's, instead of to the nearest level. Nearest rounding minimises each
 * weight's own error, not the layer's: on the GTZAN fold models the weights alone, rounded to
 * nearest, flipped 1.0-1.5% of held-out decisions, most of the 2-point agreement budget.
 *
 * <p>Per layer, with the channel scales {@link QdqQuantizer} uses (max |w| / the largest level, 63), a continuous
 * variable V per weight gives w~ = s * clip(floor(w / s) + h(V), -63, 63), h the rectified
 * sigmoid; Adam minimises the squared output error (summed over output channels, mean over
 * positions) plus a regulariser that pushes every h to 0 or 1, annealed from loose to tight.
 * Layers are independent and read the float network's own inputs. Differentiation is libtorch's
 * (DJL): the ONNX graph only supplies weights, attributes and inputs.
 */
public final class AdaRound {
    private static final double ZETA = 1.1, GAMMA = -0.1; // rectified sigmoid stretch
    private static final double BETA_START = 20, BETA_END = 2, WARMUP = 0.2;
    private static final double B1 = 0.9, B2 = 0.999, EPS = 1e-8;

    /**
     * @param iterations Adam steps per layer
     * @param batch calibration segments per step
     * @param lambda weight of the rounding regulariser against the output error
     * @param lr Adam's rate on V (V starts within about +-2.4)
     */
    public record Options(int iterations, int batch, double lambda, double lr, long seed) {
        public static Options defaults() {
            return new Options(300, 16, 0.01, 1e-2, 0);
        }
    }

    /** One layer's outcome: output error (mean squared, per output value) of nearest and adaptive rounding, and the share of weights rounded the other way. */
    public record Layer(String weight, double nearestError, double adaptiveError, double flipped) {}

    public record Result(Map<String, byte[]> levels, List<Layer> layers) {}

    private AdaRound() {}

    /**
     * The int8 levels of every Conv/Gemm weight not in {@code skip}, by initializer name.
     *
     * @param batches calibration inputs, each [n, item...] flattened
     */
    public static Result levels(ModelProto model, List<float[]> batches, long[] item, Set<String> skip, Options o, Progress progress)
            throws IOException {
        Map<String, TensorProto> init = new HashMap<>();
        for (TensorProto t : model.getGraph().getInitializerList()) init.put(t.getName(), t);
        List<NodeProto> layers = new ArrayList<>();
        for (NodeProto n : model.getGraph().getNodeList()) {
            if ((n.getOpType().equals("Conv") || n.getOpType().equals("Gemm")) && !skip.contains(n.getName()) && init.containsKey(n.getInput(1))) {
                layers.add(n);
            }
        }
        Map<String, Inputs> inputs = fetch(model, layers, batches, item);
        Map<String, byte[]> levels = new LinkedHashMap<>();
        List<Layer> report = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(o.seed());
        progress.start("adaptive rounding of " + layers.size() + " int8 weights", layers.size());
        try (NDManager m = NDManager.newBaseManager()) {
            for (NodeProto n : layers) {
                TensorProto w = init.get(n.getInput(1));
                Inputs x = inputs.get(n.getInput(0));
                long t0 = System.nanoTime();
                Layer l = round(m, n, w, x, o, rng.split(), levels);
                report.add(l);
                progress.step(String.format("%s: output error %.3g -> %.3g, %.1f%% rounded the other way, %.1f s", l.weight(),
                        l.nearestError(), l.adaptiveError(), 100 * l.flipped(), (System.nanoTime() - t0) / 1e9));
            }
        }
        progress.finish();
        return new Result(levels, report);
    }

    /** A layer's input over all calibration segments: [N, ...]. */
    private record Inputs(float[] data, long[] shape) {}

    private static Layer round(NDManager parent, NodeProto n, TensorProto wt, Inputs in, Options o, SplittableRandom rng, Map<String, byte[]> levels) {
        float[] w = QdqQuantizer.floats(wt);
        long[] dims = wt.getDimsList().stream().mapToLong(Long::longValue).toArray();
        int out = (int) dims[0], per = w.length / out;
        float[] scales = QdqQuantizer.channelScales(w, out);
        boolean conv = n.getOpType().equals("Conv");
        try (NDManager m = parent.newSubManager()) {
            NDArray x = m.create(FloatBuffer.wrap(in.data()), new Shape(in.shape()));
            Shape xShape = new Shape(in.shape());
            NDArray wf = m.create(w, new Shape(dims));
            long[] sDims = new long[dims.length];
            Arrays.fill(sDims, 1);
            sDims[0] = out;
            NDArray s = m.create(scales, new Shape(sDims));
            NDArray floor = wf.div(s).floor();
            NDArray frac = wf.div(s).sub(floor);
            // h(V) = frac at the start: V = -log((zeta - gamma) / (frac - gamma) - 1)
            NDArray v = frac.sub(GAMMA).pow(-1).mul(ZETA - GAMMA).sub(1).log().neg();
            NDArray mean = m.zeros(v.getShape()), var = m.zeros(v.getShape());
            v.setRequiresGradient(true);
            long count = in.shape()[0];
            int batch = (int) Math.min(o.batch(), count);
            StagingBuffer staging = new StagingBuffer(); // one direct buffer for every step's batch
            for (int it = 1; it <= o.iterations(); it++) {
                try (NDManager step = m.newSubManager()) {
                    step.tempAttachAll(wf, s, floor, v, mean, var);
                    NDArray xb = staging.wrap(step, gather(in, sample(rng, count, batch)), new Shape(batch).addAll(xShape.slice(1)));
                    NDArray target = apply(n, conv, xb, wf);
                    double progress = (double) (it - 1) / o.iterations();
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray h = rectified(v, xb);
                        NDArray wq = h.add(floor).clip(-QdqQuantizer.MAX_LEVEL, QdqQuantizer.MAX_LEVEL).mul(s);
                        NDArray err = apply(n, conv, xb, wq).sub(target);
                        NDArray loss = err.square().sum(new int[] {1}).mean();
                        if (progress >= WARMUP) {
                            double beta = BETA_END + (BETA_START - BETA_END) * (1 + Math.cos(Math.PI * (progress - WARMUP) / (1 - WARMUP))) / 2;
                            NDArray reg = h.mul(Scalars.like(xb, 2)).sub(1).abs().pow(Scalars.like(xb, (float) beta)).neg().add(1).sum();
                            loss = loss.add(reg.mul(Scalars.like(xb, (float) o.lambda())));
                        }
                        gc.backward(loss);
                    }
                    NDArray g = v.getGradient();
                    mean.muli(B1).addi(g.mul(1 - B1));
                    var.muli(B2).addi(g.square().mul(1 - B2));
                    double stepSize = o.lr() * Math.sqrt(1 - Math.pow(B2, it)) / (1 - Math.pow(B1, it));
                    v.subi(mean.div(var.sqrt().add(EPS)).mul(stepSize));
                    g.subi(g); // DJL accumulates gradients
                }
            }
            v.setRequiresGradient(false);
            float[] fl = floor.toFloatArray(), hv = rectified(v, v).toFloatArray(), fr = frac.toFloatArray();
            byte[] q = new byte[w.length];
            int flipped = 0;
            for (int i = 0; i < w.length; i++) {
                int up = hv[i] >= 0.5f ? 1 : 0;
                q[i] = (byte) Math.max(-QdqQuantizer.MAX_LEVEL, Math.min(QdqQuantizer.MAX_LEVEL, (int) fl[i] + up));
                if (up != (fr[i] >= 0.5f ? 1 : 0)) flipped++;
            }
            levels.put(wt.getName(), q);
            // Both roundings' output error on every calibration segment.
            float[] nearest = new float[w.length], adaptive = new float[w.length];
            for (int c = 0; c < out; c++) {
                for (int i = 0; i < per; i++) {
                    nearest[c * per + i] = QdqQuantizer.weightLevel(w[c * per + i], scales[c]) * scales[c];
                    adaptive[c * per + i] = q[c * per + i] * scales[c];
                }
            }
            NDArray target = apply(n, conv, x, wf);
            double eNear = apply(n, conv, x, m.create(nearest, new Shape(dims))).sub(target).square().mean().getFloat();
            double eAda = apply(n, conv, x, m.create(adaptive, new Shape(dims))).sub(target).square().mean().getFloat();
            return new Layer(wt.getName(), eNear, eAda, (double) flipped / w.length);
        }
    }

    private static int[] sample(SplittableRandom rng, long count, int batch) {
        return rng.ints(0, (int) count).distinct().limit(batch).toArray();
    }

    /** Rows {@code idx} of an [N, ...] input, in that order. */
    private static float[] gather(Inputs in, int[] idx) {
        int row = (int) (in.data().length / in.shape()[0]);
        float[] out = new float[idx.length * row];
        for (int i = 0; i < idx.length; i++) System.arraycopy(in.data(), idx[i] * row, out, i * row, row);
        return out;
    }

    /**
     * h(V) = clip(sigmoid(V) * (zeta - gamma) + gamma, 0, 1). Scalar factors of differentiated ops
     * live on {@code scope}'s manager until it closes ({@link Scalars}: DJL frees its own at once).
     */
    private static NDArray rectified(NDArray v, NDArray scope) {
        return Activation.sigmoid(v).mul(Scalars.like(scope, (float) (ZETA - GAMMA))).add(GAMMA).clip(0, 1);
    }

    /** The layer without its bias (it cancels in the error): Conv with the node's attributes, or Gemm with transB. */
    private static NDArray apply(NodeProto n, boolean conv, NDArray x, NDArray w) {
        if (!conv) return x.matMul(w.transpose());
        long[] strides = ints(n, "strides", 1, 1), pads = ints(n, "pads", 0, 0, 0, 0), dil = ints(n, "dilations", 1, 1);
        int group = (int) ints(n, "group", 1)[0];
        return Conv2d.conv2d(x, w, null, new Shape(strides), new Shape(pads[0], pads[1]), new Shape(dil), group).singletonOrThrow();
    }

    private static long[] ints(NodeProto n, String name, long... dflt) {
        for (AttributeProto a : n.getAttributeList()) {
            if (!a.getName().equals(name)) continue;
            if (a.getType() == AttributeProto.AttributeType.INT) return new long[] {a.getI()};
            return a.getIntsList().stream().mapToLong(Long::longValue).toArray();
        }
        return dflt;
    }

    /** Runs the float graph once over the batches with every layer input exposed. */
    private static Map<String, Inputs> fetch(ModelProto model, List<NodeProto> layers, List<float[]> batches, long[] item) throws IOException {
        long itemSize = 1;
        for (long d : item) itemSize *= d;
        ModelProto.Builder b = model.toBuilder();
        Set<String> fetch = new LinkedHashSet<>();
        for (NodeProto n : layers) fetch.add(n.getInput(0));
        fetch.remove(SpecOnnxWriter.INPUT);
        Calibration.exposeAsOutputs(b, fetch);
        Map<String, List<float[]>> parts = new LinkedHashMap<>();
        Map<String, long[]> shapes = new HashMap<>();
        long total = 0;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession s = env.createSession(b.build().toByteArray(), so)) {
                for (float[] x : batches) {
                    long[] shape = new long[item.length + 1];
                    shape[0] = x.length / itemSize;
                    System.arraycopy(item, 0, shape, 1, item.length);
                    total += shape[0];
                    parts.computeIfAbsent(SpecOnnxWriter.INPUT, k -> new ArrayList<>()).add(x);
                    shapes.put(SpecOnnxWriter.INPUT, shape);
                    if (fetch.isEmpty()) continue; // every layer reads the graph input
                    try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape); OrtSession.Result r = s.run(Map.of(SpecOnnxWriter.INPUT, in), fetch)) {
                        for (String t : fetch) {
                            OnnxTensor v = (OnnxTensor) r.get(t).orElseThrow();
                            FloatBuffer fb = v.getFloatBuffer();
                            float[] a = new float[fb.remaining()];
                            fb.get(a);
                            parts.computeIfAbsent(t, k -> new ArrayList<>()).add(a);
                            shapes.put(t, v.getInfo().getShape());
                        }
                    }
                }
            }
        } catch (OrtException e) {
            throw new IOException("adaptive rounding: ONNX Runtime failed: " + e.getMessage(), e);
        }
        Map<String, Inputs> out = new HashMap<>();
        for (var e : parts.entrySet()) {
            int len = e.getValue().stream().mapToInt(a -> a.length).sum(), at = 0;
            float[] all = new float[len];
            for (float[] a : e.getValue()) {
                System.arraycopy(a, 0, all, at, a.length);
                at += a.length;
            }
            long[] shape = shapes.get(e.getKey()).clone();
            shape[0] = total;
            out.put(e.getKey(), new Inputs(all, shape));
        }
        return out;
    }
}
