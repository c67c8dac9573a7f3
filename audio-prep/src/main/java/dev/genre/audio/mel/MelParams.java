package dev.genre.audio.mel;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Every parameter of the log-mel recipe, with librosa 0.10 defaults for 22.05 kHz music. Recorded
 * verbatim in dataset manifests and model packages, so a phone app can reproduce the features.
 *
 * <p>The window is a periodic Hann of length {@code nFft}; dB is {@code 10*log10(max(S, amin)) -
 * 10*log10(max(amin, ref))}, then clipped to {@code topDb} below the clip's maximum (librosa's
 * power_to_db; no clipping when topDb is null).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"sampleRate", "nFft", "hopLength", "window", "center", "padMode", "power", "nMels", "fMin", "fMax",
        "melScale", "norm", "ref", "amin", "topDb"})
public record MelParams(
        int sampleRate,
        int nFft,
        int hopLength,
        String window,
        boolean center,
        String padMode,
        double power,
        int nMels,
        double fMin,
        double fMax,
        String melScale,
        String norm,
        double ref,
        double amin,
        Double topDb) {

    public static final String HANN = "hann";

    public MelParams {
        require(sampleRate > 0, "sampleRate must be positive");
        require(nFft >= 16 && Integer.bitCount(nFft) == 1, "nFft must be a power of two >= 16, got " + nFft);
        require(hopLength > 0, "hopLength must be positive");
        require(HANN.equals(window), "only the periodic hann window is supported, got " + window);
        require("constant".equals(padMode) || "reflect".equals(padMode), "padMode must be constant or reflect, got " + padMode);
        require(power == 1.0 || power == 2.0, "power must be 1 or 2, got " + power);
        require(nMels > 0, "nMels must be positive");
        require(fMin >= 0 && fMax > fMin && fMax <= sampleRate / 2.0, "need 0 <= fMin < fMax <= sampleRate/2, got " + fMin + ".." + fMax);
        require("slaney".equals(melScale) || "htk".equals(melScale), "melScale must be slaney or htk, got " + melScale);
        require("slaney".equals(norm) || "none".equals(norm), "norm must be slaney or none, got " + norm);
        require(ref > 0 && amin >= 1e-30, "ref must be positive and amin at least 1e-30 (a normal float)");
        require(topDb == null || topDb >= 0, "topDb must be >= 0");
    }

    public static MelParams defaults() {
        return defaults(22050);
    }

    public static MelParams defaults(int sampleRate) {
        return new MelParams(sampleRate, 2048, 512, HANN, true, "constant", 2.0, 128, 0.0, sampleRate / 2.0,
                "slaney", "slaney", 1.0, 1e-10, 80.0);
    }

    /** Frames for a clip of {@code samples} samples: 1 + floor(n / hop) when centred. */
    public int frames(long samples) {
        if (center) return (int) (1 + samples / hopLength);
        return samples < nFft ? 0 : (int) (1 + (samples - nFft) / hopLength);
    }

    /** Seconds covered by {@code frames} frames, for reporting segment lengths. */
    public double secondsOf(int frames) {
        return frames * (double) hopLength / sampleRate;
    }

    @JsonIgnore
    public int bins() {
        return nFft / 2 + 1;
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }
}
