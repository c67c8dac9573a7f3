package dev.genre.search.spec;

/** The one channel-rounding rule (torchvision's and timm's _make_divisible), used everywhere. */
public final class Channels {
    public static final int DIVISOR = 8;

    private Channels() {}

    /** Nearest multiple of 8, at least 8, never more than 10% below {@code v}. */
    public static int round(double v) {
        int r = Math.max(DIVISOR, (int) (v + DIVISOR / 2.0) / DIVISOR * DIVISOR);
        return r < 0.9 * v ? r + DIVISOR : r;
    }
}
