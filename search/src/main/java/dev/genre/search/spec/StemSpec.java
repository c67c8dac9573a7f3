package dev.genre.search.spec;

/** The first regular convolution (conv + BN + act). */
public record StemSpec(int kernel, int stride, int out, Activation act) {}
