package dev.genre.search.latency;

import com.fasterxml.jackson.annotation.JsonValue;

/** The arithmetic a profile was timed in: int8 (QDQ, what ships) or float. */
public enum Precision {
    INT8, FLOAT;

    @JsonValue
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Precision of(String id) {
        for (Precision p : values()) if (p.id().equals(id)) return p;
        throw new IllegalArgumentException("precision must be int8 or float, not '" + id + "'");
    }
}
