package dev.genre.dataset;

import com.fasterxml.jackson.annotation.JsonValue;

/** The three splits. Clips, never segments, are assigned to them. */
public enum Split {
    TRAIN, VALID, TEST;

    @JsonValue
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Split of(String id) {
        for (Split s : values()) if (s.id().equals(id)) return s;
        throw new IllegalArgumentException("unknown split '" + id + "' (train, valid, test)");
    }
}
