package dev.genre.audio.mel;

import org.jtransforms.fft.DoubleFFT_1D;
import dev.genre.io.Npy;

/**
 * The log-mel spectrogram of a whole clip, numerically librosa's
 * {@code power_to_db(melspectrogram(y, sr, n_fft, hop_length, center, pad_mode, power, n_mels,
 * fmin, fmax, htk, norm), ref, amin, top_db)}.
 *
 * <p>Not thread-safe: it owns its FFT scratch buffers. Make one per worker thread.
 */
public final class LogMelSpectrogram {
    private final MelParams params;
    private final MelFilterBank bank;
    private final DoubleFFT_1D fft;
    private final double[] window;
    private final double[] frame;
    private final double[] spectrum;
    private final double[] acc;

    public LogMelSpectrogram(MelParams params) {
        this.params = params;
        this.bank = new MelFilterBank(params);
        this.fft = new DoubleFFT_1D(params.nFft());
        this.window = periodicHann(params.nFft());
        this.frame = new double[params.nFft()];
        this.spectrum = new double[params.bins()];
        this.acc = new double[params.nMels() + 2];
    }

    public MelParams params() {
        return params;
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
        float[] mel = melPower(samples, timers);
        int frames = mel.length / params.nMels();
        long t0 = System.nanoTime();
        toDb(mel);
        if (timers != null) timers[3] += System.nanoTime() - t0;
        return new Npy.Matrix(params.nMels(), frames, mel);
    }

    /** The mel power spectrogram before dB, [nMels, frames] row-major. */
    public float[] melPower(float[] x) {
        return melPower(x, null);
    }

    private float[] melPower(float[] x, long[] timers) {
        int n = params.nFft(), hop = params.hopLength();
        int frames = params.frames(x.length);
        int pad = params.center() ? n / 2 : 0;
        boolean reflect = "reflect".equals(params.padMode());
        // Frame-major while accumulating (contiguous writes), transposed to [nMels, frames] at the end.
        int nMels = params.nMels();
        float[] byFrame = new float[nMels * frames];
        long framing = System.nanoTime();
        for (int t = 0; t < frames; t++) {
            int start = t * hop - pad;
            if (start >= 0 && start + n <= x.length) {
                for (int j = 0; j < n; j++) frame[j] = x[start + j] * window[j];
            } else {
                for (int j = 0; j < n; j++) frame[j] = padded(x, start + j, reflect) * window[j];
            }
            if (timers == null) {
                fft.realForward(frame);
                powerSpectrum();
                bank.apply(spectrum, acc, byFrame, t * nMels);
            } else { // the same steps, timed; kept apart so the plain path has no clock calls
                long t0 = System.nanoTime();
                fft.realForward(frame);
                long t1 = System.nanoTime();
                powerSpectrum();
                bank.apply(spectrum, acc, byFrame, t * nMels);
                long t2 = System.nanoTime();
                timers[1] += t1 - t0;
                timers[2] += t2 - t1;
            }
        }
        long transpose = System.nanoTime();
        float[] mel = transpose(byFrame, frames, nMels);
        if (timers != null) {
            timers[0] += transpose - framing - timers[1] - timers[2];
            timers[2] += System.nanoTime() - transpose;
        }
        return mel;
    }

    /** [rows][cols] -> [cols][rows], in cache-sized tiles. */
    private static float[] transpose(float[] a, int rows, int cols) {
        float[] out = new float[a.length];
        final int tile = 32;
        for (int r0 = 0; r0 < rows; r0 += tile) {
            int r1 = Math.min(rows, r0 + tile);
            for (int c0 = 0; c0 < cols; c0 += tile) {
                int c1 = Math.min(cols, c0 + tile);
                for (int r = r0; r < r1; r++) for (int c = c0; c < c1; c++) out[c * rows + r] = a[r * cols + c];
            }
        }
        return out;
    }

    /** JTransforms packs Re[0], Re[n/2], then (Re, Im) pairs. */
    private void powerSpectrum() {
        int half = params.nFft() / 2;
        double dc = frame[0], nyq = frame[1];
        spectrum[0] = dc * dc;
        spectrum[half] = nyq * nyq;
        for (int k = 1; k < half; k++) {
            double re = frame[2 * k], im = frame[2 * k + 1];
            spectrum[k] = re * re + im * im;
        }
        if (params.power() == 1.0) {
            for (int k = 0; k <= half; k++) spectrum[k] = Math.sqrt(spectrum[k]);
        }
    }

    private static float padded(float[] x, int i, boolean reflect) {
        if (i >= 0 && i < x.length) return x[i];
        if (!reflect || x.length < 2) return 0f;
        int period = 2 * (x.length - 1);
        int r = Math.floorMod(i, period);
        return x[r < x.length ? r : period - r];
    }

    /** librosa.power_to_db over the whole clip, in place. */
    private void toDb(float[] s) {
        float amin = (float) params.amin();
        double offset = 10.0 * Math.log10(Math.max(params.amin(), params.ref()));
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < s.length; i++) {
            // amin (1e-10) is a normal float, so max(S, amin) is always in FastLog10's domain.
            float db = (float) (10.0 * FastLog10.of(Math.max(s[i], amin)) - offset);
            s[i] = db;
            if (db > max) max = db;
        }
        if (params.topDb() != null && s.length > 0) {
            float floor = (float) (max - params.topDb());
            for (int i = 0; i < s.length; i++) if (s[i] < floor) s[i] = floor;
        }
    }

    static double[] periodicHann(int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n);
        return w;
    }
}
