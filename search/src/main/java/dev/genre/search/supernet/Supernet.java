package dev.genre.search.supernet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.genre.search.net.Activations;
import dev.genre.search.space.ArchChoice;
import dev.genre.search.space.BlockChoice;
import dev.genre.search.space.SearchSpace;
import dev.genre.search.spec.Channels;
import dev.genre.search.spec.Layer;
import dev.genre.search.spec.SpecResolver;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one network that holds the shared weights of every child of a {@link SearchSpace}. Every
 * (block, layer, op) has its own weights, except that mbconv3 and mbconv6 share one set (below),
 * and a smaller kernel is the centre of the largest, as in
 * Single-Path NAS and OFA. Narrower width multipliers use the leading channels of the widest, fewer
 * layers skip the trailing ones, and the stem, head and pooled shortcut projections are shared by
 * all ops. A forward pass decodes the child to its spec and walks the same resolved rows as
 * {@code SpecNetwork}, so a child computes here exactly what its stand-alone network computes with
 * the same weights.
 *
 * <p>Why shared kernels: with a weight set per (op, kernel) each of a layer's 8 sets saw an eighth
 * of the steps (children at 0.14-0.23 accuracy through the supernet after a 10-minute search,
 * against 0.40-0.52 alone); 4 sets see twice the steps and the supernet is half the size. For the
 * same reason the inverted residuals share one weight set across expansion ratios (OFA's elastic
 * expansion): mbconv3 uses the leading expanded channels of mbconv6's expand, depthwise, SE and
 * project weights. This departs from "each op type has its weights" for the two expansion ratios
 * of one op, for a measured reason (README, Search: which decision stops the supernet learning):
 * with only the op sampled between mbconv3 and mbconv6 for 8 passes on GTZAN, separate weights
 * reached training accuracy 0.22-0.28 and finalists 0.25-0.34, shared weights 0.48-0.59 and
 * 0.45-0.50 (one fixed child: 0.66-0.74, 0.43). A first try of sharing had turned early gradients NaN
 * in about half the runs of a test, which fits the use-after-free of DJL's scalar operands under
 * autograd found later ({@code Scalars}); 20 runs of that test after the fix showed no NaN.
 */
public final class Supernet extends AbstractBlock {
    private static final byte VERSION = 3;
    /** The weight layout; recorded with a search, which resumes or warm-starts only from the same layout. */
    public static final int LAYOUT = VERSION;
    private final SearchSpace space;
    private final SharedParts.ConvBn stem;
    private final Map<String, SharedParts.ConvBn> convs = new HashMap<>();
    private final Map<String, SharedParts.SqueezeExcite> ses = new HashMap<>();
    private final SharedParts.ConvBn headConv;
    private final SharedParts.Dense hidden, classifier;

    public Supernet(SearchSpace space) {
        super(VERSION);
        this.space = space;
        SharedParts.Registry r = (name, type, shape) -> addParameter(Parameter.builder().setName(name).setType(type).optShape(shape).build());
        int c = space.input()[0];
        stem = new SharedParts.ConvBn(r, "stem", space.stem().out(), c, space.stem().kernel(), false);
        int inMax = space.stem().out();
        int kMax = space.kernels().stream().mapToInt(Integer::intValue).max().orElseThrow();
        for (int b = 0; b < space.skeleton().size(); b++) {
            int outMax = space.maxWidth(b);
            for (int j = 0; j < space.maxLayers(b); j++) {
                int in = j == 0 ? inMax : outMax;
                for (String op : space.ops()) {
                    String p = part(b, j, weightSet(op));
                    if (convs.containsKey(p + ".project") || convs.containsKey(p + ".conv")) continue; // a shared set, built once
                    switch (op) {
                        case "conv" -> convs.put(p + ".conv", new SharedParts.ConvBn(r, p + ".conv", outMax, in, kMax, false));
                        case "dconv" -> {
                            convs.put(p + ".dw", new SharedParts.ConvBn(r, p + ".dw", in, in, kMax, true));
                            ses.put(p + ".se", new SharedParts.SqueezeExcite(r, p + ".se", in, squeezeMax(in)));
                            convs.put(p + ".project", new SharedParts.ConvBn(r, p + ".project", outMax, in, 1, false));
                        }
                        default -> {
                            int e = Channels.round(in * maxExpansion());
                            convs.put(p + ".expand", new SharedParts.ConvBn(r, p + ".expand", e, in, 1, false));
                            convs.put(p + ".dw", new SharedParts.ConvBn(r, p + ".dw", e, e, kMax, true));
                            ses.put(p + ".se", new SharedParts.SqueezeExcite(r, p + ".se", e, squeezeMax(e)));
                            convs.put(p + ".project", new SharedParts.ConvBn(r, p + ".project", outMax, e, 1, false));
                        }
                    }
                }
                if (j == 0) convs.put("b" + b + ".shortcut", new SharedParts.ConvBn(r, "b" + b + ".shortcut", outMax, in, 1, false));
            }
            inMax = Math.max(inMax, outMax);
        }
        headConv = new SharedParts.ConvBn(r, "head.conv", space.head().conv(), inMax, 1, false);
        int last = space.head().conv();
        hidden = space.head().hidden() > 0 ? new SharedParts.Dense(r, "head.hidden", space.head().hidden(), last) : null;
        if (hidden != null) last = space.head().hidden();
        classifier = new SharedParts.Dense(r, "head.classifier", space.classes(), last);
    }

    private int squeezeMax(int channels) {
        double m = space.se().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        return Channels.round(channels * Math.max(m, 0.25));
    }

    private static String part(int block, int layer, String weightSet) {
        return "b" + block + ".l" + layer + "." + weightSet;
    }

    /** The weights an op uses: every expansion ratio of the inverted residual shares one set. */
    private static String weightSet(String op) {
        return op.startsWith("mbconv") ? "mbconv" : op;
    }

    private double maxExpansion() {
        return space.ops().stream().filter(o -> o.startsWith("mbconv")).mapToDouble(o -> Double.parseDouble(o.substring("mbconv".length())))
                .max().orElseThrow();
    }



    public SearchSpace space() {
        return space;
    }

    public Shape inputShape(int batch) {
        int[] in = space.input();
        return new Shape(batch, in[0], in[1], in[2]);
    }

    /** Logits [N, classes] of the pass's child. */
    public NDArray forward(ChildPass pass, NDArray x, boolean training) {
        ArchChoice child = pass.child();
        List<Layer> rows = SpecResolver.resolve(space.decode(child));
        int firstOfBlock = 0;
        String block = "";
        for (Layer row : rows) {
            if (!row.block().equals(block)) {
                block = row.block();
                firstOfBlock = row.index();
            }
            x = switch (row.kind()) {
                case STEM -> stem.forward(pass, x, row.out(), row.stride(), row.act());
                case HEAD_CONV -> headConv.forward(pass, x, row.out(), 1, row.act());
                case POOL -> Pool.globalAvgPool2d(x);
                case HIDDEN -> Activations.apply(row.act(), hidden.forward(pass, x));
                case CLASSIFIER -> classifier.forward(pass, ai.djl.nn.norm.Dropout.dropout(x, (float) row.dropout(), training).singletonOrThrow());
                case CONV, DCONV, MBCONV -> {
                    int b = Integer.parseInt(row.block().substring(1));
                    yield layer(pass, row, b, row.index() - firstOfBlock, child.blocks().get(b), x);
                }
            };
        }
        return x;
    }

    private NDArray layer(ChildPass pass, Layer row, int b, int j, BlockChoice c, NDArray x) {
        String p = part(b, j, weightSet(space.ops().get(c.op())));
        NDArray y;
        if (row.kind() == Layer.Kind.CONV) {
            y = convs.get(p + ".conv").forward(pass, x, row.out(), row.kernel(), row.stride(), row.act());
        } else {
            y = x;
            if (row.hasExpand()) y = convs.get(p + ".expand").forward(pass, y, row.expanded(), 1, row.act());
            y = convs.get(p + ".dw").forward(pass, y, row.expanded(), row.kernel(), row.stride(), row.act());
            if (row.hasSe()) y = ses.get(p + ".se").forward(pass, y, row.squeeze());
            y = convs.get(p + ".project").forward(pass, y, row.out(), 1, null);
        }
        return switch (row.shortcut()) {
            case NONE -> y;
            case IDENTITY -> y.add(x);
            case POOLED -> y.add(pool(row, x));
            case POOLED_PROJECTED -> y.add(convs.get("b" + b + ".shortcut").forward(pass, pool(row, x), row.out(), 1, null));
        };
    }

    /** stride x stride average pool, ceil mode, as the stand-alone network's shortcut. */
    private static NDArray pool(Layer row, NDArray x) {
        if (row.stride() == 1) return x;
        Shape k = new Shape(row.stride(), row.stride());
        return Pool.avgPool2d(x, k, k, new Shape(0, 0), true, false);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException("the supernet runs a child: use forward(ChildPass, NDArray, boolean)");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] in) {
        return new Shape[] {new Shape(in[0].get(0), space.classes())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... in) {}
}
