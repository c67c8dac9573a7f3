package dev.genre.search.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * Walks a spec once and yields one {@link Layer} per layer, threading channels and feature size:
 * the one place where widths are rounded, strides placed and shortcuts decided.
 */
public final class SpecResolver {
    private SpecResolver() {}

    public static List<Layer> resolve(NetworkSpec spec) {
        List<Layer> rows = new ArrayList<>();
        int c = spec.input()[0], h = spec.input()[1], w = spec.input()[2];
        StemSpec stem = spec.stem();
        int oh = convOut(h, stem.kernel(), stem.stride()), ow = convOut(w, stem.kernel(), stem.stride());
        rows.add(new Layer(rows.size(), "stem", Layer.Kind.STEM, c, stem.out(), stem.out(), 0, stem.kernel(), stem.stride(),
                h, w, oh, ow, stem.act(), Layer.Shortcut.NONE, 0));
        c = stem.out();
        h = oh;
        w = ow;
        for (int b = 0; b < spec.blocks().size(); b++) {
            List<Layer> block = resolveBlock(spec.blocks().get(b), "b" + b, rows.size(), c, h, w);
            rows.addAll(block);
            if (!block.isEmpty()) {
                Layer last = block.get(block.size() - 1);
                c = last.out();
                h = last.outH();
                w = last.outW();
            }
        }
        rows.addAll(resolveHead(spec.head(), spec.classes(), rows.size(), c, h, w));
        return rows;
    }

    /** The head rows (head conv, pool, hidden, classifier) entered with {@code c} channels at {@code h x w}. */
    public static List<Layer> resolveHead(HeadSpec head, int classes, int firstIndex, int c, int h, int w) {
        List<Layer> rows = new ArrayList<>();
        rows.add(new Layer(firstIndex + rows.size(), "head", Layer.Kind.HEAD_CONV, c, head.conv(), head.conv(), 0, 1, 1, h, w, h, w, head.act(),
                Layer.Shortcut.NONE, 0));
        c = head.conv();
        rows.add(new Layer(firstIndex + rows.size(), "head", Layer.Kind.POOL, c, c, c, 0, 0, 1, h, w, 1, 1, null, Layer.Shortcut.NONE, 0));
        if (head.hidden() > 0) {
            rows.add(new Layer(firstIndex + rows.size(), "head", Layer.Kind.HIDDEN, c, head.hidden(), head.hidden(), 0, 1, 1, 1, 1, 1, 1, head.act(),
                    Layer.Shortcut.NONE, 0));
            c = head.hidden();
        }
        rows.add(new Layer(firstIndex + rows.size(), "head", Layer.Kind.CLASSIFIER, c, classes, classes, 0, 1, 1, 1, 1, 1, 1, null,
                Layer.Shortcut.NONE, head.dropout()));
        return rows;
    }

    /**
     * The rows of one block entered with {@code c} channels at {@code h x w}, numbered from
     * {@code firstIndex}. The search space's latency profile enumerates layers through this too.
     */
    public static List<Layer> resolveBlock(BlockSpec blk, String name, int firstIndex, int c, int h, int w) {
        List<Layer> rows = new ArrayList<>();
        for (int i = 0; i < blk.layers(); i++) {
            int stride = i == 0 ? blk.stride() : 1;
            int oh = convOut(h, blk.kernel(), stride), ow = convOut(w, blk.kernel(), stride);
            int expanded = blk.op() == Op.MBCONV ? Channels.round(c * blk.expansion()) : c;
            if (blk.op() == Op.MBCONV && blk.expansion() == 1) expanded = c;
            int squeeze = blk.se() > 0 && blk.op() != Op.CONV ? Channels.round(expanded * blk.se()) : 0;
            Layer.Kind kind = switch (blk.op()) {
                case CONV -> Layer.Kind.CONV;
                case DCONV -> Layer.Kind.DCONV;
                case MBCONV -> Layer.Kind.MBCONV;
            };
            rows.add(new Layer(firstIndex + i, name, kind, c, blk.out(), expanded, squeeze, blk.kernel(), stride, h, w, oh, ow,
                    blk.act(), shortcut(blk.skip(), c, blk.out(), stride), 0));
            c = blk.out();
            h = oh;
            w = ow;
        }
        return rows;
    }

    static Layer.Shortcut shortcut(Skip skip, int in, int out, int stride) {
        boolean same = stride == 1 && in == out;
        return switch (skip) {
            case NONE -> Layer.Shortcut.NONE;
            case IDENTITY -> same ? Layer.Shortcut.IDENTITY : Layer.Shortcut.NONE;
            case POOL -> same ? Layer.Shortcut.IDENTITY : in == out ? Layer.Shortcut.POOLED : Layer.Shortcut.POOLED_PROJECTED;
        };
    }

    /** Output size of a k x k convolution with "same" padding (k-1)/2. */
    public static int convOut(int size, int kernel, int stride) {
        int pad = (kernel - 1) / 2;
        return (size + 2 * pad - kernel) / stride + 1;
    }
}
