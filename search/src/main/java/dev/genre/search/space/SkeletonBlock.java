package dev.genre.search.space;

/**
 * One block of the fixed skeleton: its base width, the stride of its first layer and its base
 * layer count. A child scales the width and shifts the layer count; the stride never changes.
 */
public record SkeletonBlock(int out, int stride, int layers) {
    public SkeletonBlock {
        if (out < 8 || stride < 1 || stride > 2 || layers < 1) throw new IllegalArgumentException("bad skeleton block " + out + "/" + stride + "/" + layers);
    }
}
