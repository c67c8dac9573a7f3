package dev.genre.audio.decode;

/**
 * Decoded mono audio: samples in [-1, 1] (integer PCM divided by 2^(bits-1), as torchaudio and
 * soundfile do) at {@code sampleRate} Hz.
 */
public record Audio(float[] samples, int sampleRate) {
    public double seconds() {
        return samples.length / (double) sampleRate;
    }

    public float peak() {
        float peak = 0;
        for (float s : samples) peak = Math.max(peak, Math.abs(s));
        return peak;
    }
}
