package dev.genre.search.spec;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a layer adds to its output from its input. */
public enum Skip {
    /** Nothing. */
    NONE,
    /** The input itself, on layers whose input and output shapes agree (stride 1, same channels). */
    IDENTITY,
    /**
     * Average-pooled input (stride x stride) through a 1x1 conv + BN when the channels change, so
     * even down-sampling layers keep a shortcut; identical to IDENTITY when the shapes agree.
     */
    POOL;

    @JsonValue
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
