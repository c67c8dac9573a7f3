package dev.genre.search.space;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What a child chose for one skeleton block, as option indices into {@link SearchSpace}'s
 * decisions (in the same order): op, kernel, se, skip, width, layers, act. Indices, not values,
 * so the controller, evolution and the supernet share one encoding; {@link SearchSpace#decode}
 * turns them into a spec.
 */
@JsonPropertyOrder({"op", "kernel", "se", "skip", "width", "layers", "act"})
public record BlockChoice(int op, int kernel, int se, int skip, int width, int layers, int act) {
    int[] tokens() {
        return new int[] {op, kernel, se, skip, width, layers, act};
    }

    static BlockChoice of(int[] t, int from) {
        return new BlockChoice(t[from], t[from + 1], t[from + 2], t[from + 3], t[from + 4], t[from + 5], t[from + 6]);
    }
}
