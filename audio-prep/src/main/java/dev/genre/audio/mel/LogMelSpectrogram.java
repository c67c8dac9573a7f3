package dev.genre.audio.mel;

import dev.genre.io.Npy;

/**
 * The log-mel spectrogram of a whole clip, numerically librosa's
 * {@code power_to_db(melspectrogram(y, sr, n_fft, hop_length, center, pad_mode, power, n_mels,
 * fmin, fmax, htk, norm), ref, amin, top_db)}.
 *
 * <p>The spectrum comes from a {@link MelPowerKernel}: SIMD across frames when the JVM has the
 * Vector API module, else a scalar FFT; both compute in double precision and agree to float rounding.
 *
 * <p>Not thread-safe: it owns its FFT scratch buffers. Make one per worker thread.
 */
public final class LogMelSpectrogram {
    private final MelParams params;
    private final MelPowerKernel kernel;

    public LogMelSpectrogram(MelParams params) {
        this(params, MelPowerKernel.create(params, new MelFilterBank(params)));
    }

    /** With a chosen kernel, for tests that hold both kernels to the same references. */
    LogMelSpectrogram(MelParams params, MelPowerKernel kernel) {
        this.params = params;
        this.kernel = kernel;
    }

    /** The scalar (JTransforms) kernel whatever the JVM has: benchmarks report what the fallback costs. */
    public static LogMelSpectrogram scalar(MelParams params) {
        return new LogMelSpectrogram(params, new ScalarMelPower(params, new MelFilterBank(params)));
    }

    static LogMelSpectrogram vector(MelParams params) {
        return new LogMelSpectrogram(params, MelPowerKernel.vector(params, new MelFilterBank(params)));
    }

    public MelParams params() {
        return params;
    }

    /** Which implementation computes the spectrum (see MelPowerKernel), for benchmark reports. */
    public String kernelName() {
        return kernel.name();
    }

    /** Log-mel in dB, shape [nMels, frames], row-major. */
    public Npy.Matrix compute(float[] samples) {
        return compute(samples, null);
    }

    /** Where the time of one clip goes, in nanoseconds: framing + window, FFT, power + mel product, dB. */
    public record Profile(long frameNanos, long fftNanos, long melNanos, long dbNanos) {}

    public Profile profile(float[] samples) {
        long[] t = new long[4];
        compute(samples, t);
        return new Profile(t[0], t[1], t[2], t[3]);
    }

    private Npy.Matrix compute(float[] samples, long[] timers) {
        float[] mel = kernel.melPower(samples, timers);
        int frames = mel.length / params.nMels();
        long t0 = System.nanoTime();
        kernel.powerToDb(mel);
        if (timers != null) timers[3] += System.nanoTime() - t0;
        return new Npy.Matrix(params.nMels(), frames, mel);
    }

    /** The mel power spectrogram before dB, [nMels, frames] row-major. */
    public float[] melPower(float[] x) {
        return kernel.melPower(x, null);
    }

    static double[] periodicHann(int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n);
        return w;
    }
}
