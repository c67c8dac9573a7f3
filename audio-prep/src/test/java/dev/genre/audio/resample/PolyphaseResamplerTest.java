package dev.genre.audio.resample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PolyphaseResamplerTest {
    static float[] sine(double hz, int rate, double seconds, double amp) {
        float[] x = new float[(int) (rate * seconds)];
        for (int i = 0; i < x.length; i++) x[i] = (float) (amp * Math.sin(2 * Math.PI * hz * i / rate));
        return x;
    }

    /** Amplitude of the {@code hz} component over the middle of the signal (away from edge effects). */
    static double amplitudeAt(float[] y, int rate, double hz) {
        int from = y.length / 4, to = 3 * y.length / 4;
        double re = 0, im = 0, w = 0;
        for (int i = from; i < to; i++) {
            double hann = 0.5 - 0.5 * Math.cos(2 * Math.PI * (i - from) / (to - from));
            re += hann * y[i] * Math.cos(2 * Math.PI * hz * i / rate);
            im += hann * y[i] * Math.sin(2 * Math.PI * hz * i / rate);
            w += hann;
        }
        return 2 * Math.hypot(re, im) / w;
    }

    static double peakFrequency(float[] y, int rate, double lo, double hi) {
        double best = lo, bestAmp = -1;
        for (double f = lo; f <= hi; f += 0.25) {
            double a = amplitudeAt(y, rate, f);
            if (a > bestAmp) {
                bestAmp = a;
                best = f;
            }
        }
        return best;
    }

    @Test
    void oneKilohertzAt44100KeepsFrequencyAndAmplitudeAt22050() {
        float[] x = sine(1000, 44100, 1.0, 0.5);
        float[] y = PolyphaseResampler.of(44100, 22050).process(x);
        assertEquals(22050, y.length);
        double db = 20 * Math.log10(amplitudeAt(y, 22050, 1000) / 0.5);
        assertTrue(Math.abs(db) <= 0.1, "amplitude change " + db + " dB");
        assertEquals(1000, peakFrequency(y, 22050, 990, 1010), 0.5);
    }

    @Test
    void toneAboveTheNewNyquistIsAttenuatedBy60dB() {
        for (double hz : new double[] {11500, 13000, 15000, 20000}) {
            float[] y = PolyphaseResampler.of(44100, 22050).process(sine(hz, 44100, 1.0, 0.5));
            double alias = 22050 - hz; // where it would fold to
            double rms = 0;
            for (int i = y.length / 4; i < 3 * y.length / 4; i++) rms += y[i] * y[i];
            rms = Math.sqrt(rms / (y.length / 2.0));
            double db = 20 * Math.log10((rms * Math.sqrt(2)) / 0.5);
            assertTrue(db <= -60, hz + " Hz -> " + db + " dB (would alias to " + alias + " Hz)");
        }
    }

    @Test
    void otherRatesAndUpsamplingKeepAmplitude() {
        int[][] pairs = {{48000, 22050}, {16000, 22050}, {8000, 22050}, {11025, 22050}, {32000, 22050}};
        for (int[] p : pairs) {
            float[] y = PolyphaseResampler.of(p[0], p[1]).process(sine(440, p[0], 1.0, 0.5));
            assertEquals(p[1], y.length, 1);
            double db = 20 * Math.log10(amplitudeAt(y, p[1], 440) / 0.5);
            assertTrue(Math.abs(db) <= 0.1, p[0] + " -> " + p[1] + ": " + db + " dB");
        }
    }

    @Test
    void kaiserWindowUsesTheRightBessel() {
        assertEquals(1.0, PolyphaseResampler.besselI0(0), 0);
        assertEquals(27.239871823604442, PolyphaseResampler.besselI0(5), 1e-9);
    }
}
