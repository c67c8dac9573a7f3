package dev.genre.search.spec;

import com.fasterxml.jackson.annotation.JsonValue;

/** The three block types of the MnasNet factorized space. */
public enum Op {
    /** Regular k x k convolution, batch norm, activation. */
    CONV,
    /** Depthwise-separable: k x k depthwise + BN + act, then 1x1 pointwise + BN (linear). */
    DCONV,
    /** Inverted residual: 1x1 expand + BN + act, k x k depthwise + BN + act, optional SE, 1x1 project + BN. */
    MBCONV;

    @JsonValue
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
