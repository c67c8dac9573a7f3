package dev.genre.audio.mel;

/**
 * log10 of positive finite floats at about a tenth of Math.log10's cost and to double precision:
 * the exponent comes from the bits, the mantissa m splits into a table point m0 (top 10 bits) and
 * a small remainder t = (m - m0) / m0 < 2^-10, whose ln(1 + t) a four-term series gives to 1e-15.
 * power_to_db calls it 165,000 times per 30 s clip.
 */
final class FastLog10 {
    private static final int BITS = 10;
    private static final double[] LOG2_M0 = new double[1 << BITS];
    private static final double[] INV_M0 = new double[1 << BITS];
    private static final double LOG10_2 = Math.log10(2);
    private static final double INV_LN2 = 1 / Math.log(2);

    static {
        for (int i = 0; i < (1 << BITS); i++) {
            double m0 = 1 + i / (double) (1 << BITS);
            LOG2_M0[i] = Math.log(m0) * INV_LN2;
            INV_M0[i] = 1 / m0;
        }
    }

    private FastLog10() {}

    /** log10(x) for a positive, finite, normal float x. */
    static double of(float x) {
        int bits = Float.floatToRawIntBits(x);
        int exponent = ((bits >>> 23) & 0xFF) - 127;
        int mantissa = bits & 0x7FFFFF;
        int i = mantissa >>> (23 - BITS);
        double m = 1 + mantissa * 0x1.0p-23;
        double m0 = 1 + i * (1.0 / (1 << BITS));
        double t = (m - m0) * INV_M0[i];
        double ln1p = t * (1 - t * (0.5 - t * (1.0 / 3 - t * 0.25)));
        return (exponent + LOG2_M0[i] + ln1p * INV_LN2) * LOG10_2;
    }
}
