package dev.genre.search.spec;

import com.fasterxml.jackson.annotation.JsonValue;

/** relu, or MobileNetV3's hard swish x * relu6(x + 3) / 6. */
public enum Activation {
    RELU, HSWISH;

    @JsonValue
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
