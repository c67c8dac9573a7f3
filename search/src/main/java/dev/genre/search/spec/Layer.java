package dev.genre.search.spec;

/**
 * One resolved layer: every width, stride and feature size made concrete. Builders, counters,
 * exporters and latency keys see only these rows, never the block-level spec.
 *
 * @param expanded  mbconv's expanded width (= in for conv and dconv)
 * @param squeeze   SE bottleneck width, 0 without SE
 * @param shortcut  the residual this layer adds
 */
public record Layer(int index, String block, Kind kind, int in, int out, int expanded, int squeeze, int kernel, int stride,
                    int inH, int inW, int outH, int outW, Activation act, Shortcut shortcut, double dropout) {

    public enum Kind { STEM, CONV, DCONV, MBCONV, HEAD_CONV, POOL, HIDDEN, CLASSIFIER }

    /** NONE, IDENTITY (x + f(x)), or PROJECTED (avgpool(x), then 1x1 conv + BN when widths differ). */
    public enum Shortcut { NONE, IDENTITY, POOLED, POOLED_PROJECTED }

    public boolean hasExpand() {
        return kind == Kind.MBCONV && expanded != in;
    }

    public boolean hasSe() {
        return squeeze > 0;
    }
}
