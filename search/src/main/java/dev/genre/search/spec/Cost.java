package dev.genre.search.spec;

import java.util.List;

/**
 * Parameters and multiply-accumulates of resolved layers, counted the way torchvision's models
 * have them: convolutions without bias, two parameters per batch-norm channel, SE 1x1 convs and
 * linear layers with bias. MACs count convolutions and linear layers only.
 */
public record Cost(long params, long macs) {
    public static Cost of(Layer l) {
        long p = 0, m = 0;
        long outHw = (long) l.outH() * l.outW(), inHw = (long) l.inH() * l.inW();
        switch (l.kind()) {
            case STEM, CONV -> {
                p = (long) l.kernel() * l.kernel() * l.in() * l.out() + 2L * l.out();
                m = outHw * l.out() * l.in() * l.kernel() * l.kernel();
            }
            case DCONV, MBCONV -> {
                int e = l.expanded();
                if (l.hasExpand()) {
                    p += (long) l.in() * e + 2L * e;
                    m += inHw * l.in() * e;
                }
                p += (long) l.kernel() * l.kernel() * e + 2L * e;
                m += outHw * e * l.kernel() * l.kernel();
                if (l.hasSe()) {
                    p += 2L * e * l.squeeze() + l.squeeze() + e;
                    m += 2L * e * l.squeeze();
                }
                p += (long) e * l.out() + 2L * l.out();
                m += outHw * e * l.out();
            }
            case HEAD_CONV -> {
                p = (long) l.in() * l.out() + 2L * l.out();
                m = outHw * l.in() * l.out();
            }
            case HIDDEN, CLASSIFIER -> {
                p = (long) l.in() * l.out() + l.out();
                m = (long) l.in() * l.out();
            }
            case POOL -> { }
        }
        if (l.shortcut() == Layer.Shortcut.POOLED_PROJECTED) {
            p += (long) l.in() * l.out() + 2L * l.out();
            m += outHw * l.in() * l.out();
        }
        return new Cost(p, m);
    }

    public static Cost total(List<Layer> layers) {
        long p = 0, m = 0;
        for (Layer l : layers) {
            Cost c = of(l);
            p += c.params;
            m += c.macs;
        }
        return new Cost(p, m);
    }
}
