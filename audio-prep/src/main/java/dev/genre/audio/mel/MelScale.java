package dev.genre.audio.mel;

/** Hz <-> mel, librosa's two scales: Slaney's (linear below 1 kHz, log above) and HTK's. */
final class MelScale {
    private static final double F_SP = 200.0 / 3;
    private static final double MIN_LOG_HZ = 1000.0;
    private static final double MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
    private static final double LOGSTEP = Math.log(6.4) / 27.0;

    private MelScale() {}

    static double hzToMel(double hz, boolean htk) {
        if (htk) return 2595.0 * Math.log10(1.0 + hz / 700.0);
        return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOGSTEP : hz / F_SP;
    }

    static double melToHz(double mel, boolean htk) {
        if (htk) return 700.0 * (Math.pow(10.0, mel / 2595.0) - 1.0);
        return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOGSTEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
    }
}
