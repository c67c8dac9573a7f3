package dev.genre.audio.synth;

/**
 * SplitMix64, spelled out here so that "same seed, same bytes" holds on every JDK: the JDK's
 * generators are free to change their algorithms between releases.
 */
final class Rng {
    private long state;

    Rng(long seed) {
        this.state = seed;
    }

    /** A child stream whose values do not depend on how much of this one is used later. */
    static Rng derive(long seed, String... labels) {
        long h = seed ^ 0x9E3779B97F4A7C15L;
        for (String label : labels) {
            for (int i = 0; i < label.length(); i++) h = mix(h + label.charAt(i));
            h = mix(h + 0x632BE59BD9B4E019L);
        }
        return new Rng(h);
    }

    long nextLong() {
        return mix(state += 0x9E3779B97F4A7C15L);
    }

    /** Uniform in [0, 1). */
    double next() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    double uniform(double lo, double hi) {
        return lo + (hi - lo) * next();
    }

    int nextInt(int bound) {
        return (int) ((nextLong() >>> 33) % bound);
    }

    boolean chance(double p) {
        return next() < p;
    }

    /** Uniform in [-1, 1), the noise source of every instrument. */
    double noise() {
        return 2 * next() - 1;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
