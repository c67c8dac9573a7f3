package dev.genre.audio.synth;

/**
 * Deterministic waveform primitives. The sine is a StrictMath-built table with linear
 * interpolation, so renders are bit-identical across JVMs and CPUs (Math.sin may differ by an ulp).
 */
final class Osc {
    private static final int TABLE = 1 << 13;
    private static final double[] SINE = new double[TABLE + 1];

    static {
        for (int i = 0; i <= TABLE; i++) SINE[i] = StrictMath.sin(2 * StrictMath.PI * i / TABLE);
    }

    private Osc() {}

    /** sin(2 pi phase), phase in cycles. */
    static double sin(double phase) {
        double p = phase - Math.floor(phase);
        double x = p * TABLE;
        int i = (int) x;
        double f = x - i;
        return SINE[i] + f * (SINE[i + 1] - SINE[i]);
    }

    /** A band-limited-enough sawtooth: the first {@code harmonics} partials at 1/k amplitude. */
    static double saw(double phase, int harmonics) {
        double s = 0;
        for (int k = 1; k <= harmonics; k++) s += sin(phase * k) / k;
        return s * 0.55;
    }

    /** Soft clipper (a rational tanh approximation): guitar distortion without transcendental calls. */
    static double softClip(double x) {
        if (x > 3) return 1;
        if (x < -3) return -1;
        return x * (27 + x * x) / (27 + 9 * x * x);
    }

    static double midiToHz(double midi) {
        return 440.0 * StrictMath.pow(2.0, (midi - 69) / 12.0);
    }
}
