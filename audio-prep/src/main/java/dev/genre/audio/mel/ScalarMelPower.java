package dev.genre.audio.mel;

import org.jtransforms.fft.DoubleFFT_1D;

/** One frame at a time: window, JTransforms' real FFT, power, sparse mel product. Not thread-safe. */
final class ScalarMelPower implements MelPowerKernel {
    private final MelParams params;
    private final MelFilterBank bank;
    private final DoubleFFT_1D fft;
    private final double[] window;
    private final double[] frame;
    private final double[] spectrum;
    private final double[] acc;

    ScalarMelPower(MelParams params, MelFilterBank bank) {
        this.params = params;
        this.bank = bank;
        this.fft = new DoubleFFT_1D(params.nFft());
        this.window = LogMelSpectrogram.periodicHann(params.nFft());
        this.frame = new double[params.nFft()];
        this.spectrum = new double[params.bins()];
        this.acc = new double[params.nMels() + 2];
    }

    @Override
    public void powerToDb(float[] mel) {
        PowerToDb.apply(mel, params);
    }

    @Override
    public String name() {
        return "scalar (JTransforms, one frame at a time)";
    }

    @Override
    public float[] melPower(float[] x, long[] timers) {
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
}
