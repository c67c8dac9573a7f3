package dev.genre.audio.mel;

/**
 * librosa.power_to_db over a whole clip, in place: {@code 10*log10(max(S, amin)) - 10*log10(max(amin, ref))},
 * then clipped to {@code topDb} below the clip's maximum. The scalar form; {@link VectorMelPower} has
 * a SIMD log10 and shares the clipping.
 */
final class PowerToDb {
    private PowerToDb() {}

    static void apply(float[] s, MelParams p) {
        float amin = (float) p.amin();
        double offset = offset(p);
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < s.length; i++) {
            float db = db(s[i], amin, offset);
            s[i] = db;
            if (db > max) max = db;
        }
        clip(s, max, p);
    }

    /** One value in dB. amin (1e-10) is a normal float, so max(S, amin) is always in FastLog10's domain. */
    static float db(float power, float amin, double offset) {
        return (float) (10.0 * FastLog10.of(Math.max(power, amin)) - offset);
    }

    static double offset(MelParams p) {
        return 10.0 * Math.log10(Math.max(p.amin(), p.ref()));
    }

    /** top_db: nothing below max - topDb. */
    static void clip(float[] s, float max, MelParams p) {
        if (p.topDb() == null || s.length == 0) return;
        float floor = (float) (max - p.topDb());
        for (int i = 0; i < s.length; i++) if (s[i] < floor) s[i] = floor;
    }
}
