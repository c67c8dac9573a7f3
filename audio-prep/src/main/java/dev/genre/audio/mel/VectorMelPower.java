package dev.genre.audio.mel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The mel power spectrogram with SIMD lanes across frames: {@code L} consecutive frames (8 with
 * AVX-512 doubles) go through every step side by side, so each butterfly, twiddle and mel weight is
 * one vector operation on L frames and no step needs a shuffle.
 *
 * <p>Per block of L frames: the n_fft real samples of each frame are packed as n_fft/2 complex
 * points (even + i * odd), transformed by a four-step FFT (M = P x Q: P-point column FFTs, twiddles,
 * Q-point row FFTs), so every sub-transform works on a few KB that stay in L1 instead of a 128 KB
 * radix-2 working set that thrashes it; then the real spectrum is unpacked, squared and fed straight
 * into the sparse mel bank. Double precision throughout, like the scalar path it replaces.
 *
 * <p>Loaded only when the {@code jdk.incubator.vector} module is present (see {@link MelPowerKernel}).
 */
final class VectorMelPower implements MelPowerKernel {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private final MelParams params;
    private final MelFilterBank bank;
    private final int n, m, p, q;
    private final double[] window;
    // Twiddles: W_M^(n2*k1) between the steps, and one table W_M^j for both sub-FFT sizes.
    private final double[] stepRe, stepIm, twRe, twIm;
    // Real-FFT unpacking: W_N^k, k = 0..M.
    private final double[] unpackRe, unpackIm;
    private final int[] revP, revQ;
    private final int[] laneOffsets;
    private final double[] colRe, colIm, rowsRe, rowsIm, acc;
    private final int[] hopMap;
    // Reused across clips: a fresh 5 MB array per 30 s clip is a G1 humongous allocation, and two
    // threads allocating those serialised on the heap lock (1.0x scaling on 2 cores instead of 1.9x).
    private double[] padded = new double[0];

    VectorMelPower(MelParams params, MelFilterBank bank) {
        this.params = params;
        this.bank = bank;
        n = params.nFft();
        m = n / 2;
        int bits = Integer.numberOfTrailingZeros(m);
        p = 1 << (bits / 2);
        q = m / p;
        window = LogMelSpectrogram.periodicHann(n);
        twRe = new double[m];
        twIm = new double[m];
        for (int j = 0; j < m; j++) {
            twRe[j] = Math.cos(-2 * Math.PI * j / m);
            twIm[j] = Math.sin(-2 * Math.PI * j / m);
        }
        stepRe = new double[m];
        stepIm = new double[m];
        for (int k1 = 0; k1 < p; k1++) {
            for (int n2 = 0; n2 < q; n2++) {
                int j = (k1 * n2) % m;
                stepRe[k1 * q + n2] = twRe[j];
                stepIm[k1 * q + n2] = twIm[j];
            }
        }
        unpackRe = new double[m + 1];
        unpackIm = new double[m + 1];
        for (int k = 0; k <= m; k++) {
            unpackRe[k] = Math.cos(-2 * Math.PI * k / n);
            unpackIm[k] = Math.sin(-2 * Math.PI * k / n);
        }
        revP = bitReversal(p);
        revQ = bitReversal(q);
        laneOffsets = new int[L];
        hopMap = new int[L];
        for (int l = 0; l < L; l++) hopMap[l] = l * params.hopLength();
        colRe = new double[p * L];
        colIm = new double[p * L];
        rowsRe = new double[m * L];
        rowsIm = new double[m * L];
        acc = new double[(params.nMels() + 2) * L];
    }

    @Override
    public String name() {
        return "vector (" + L + " frames per SIMD lane group, four-step FFT " + p + " x " + q + ")";
    }

    @Override
    public float[] melPower(float[] x, long[] timers) {
        int hop = params.hopLength();
        int frames = params.frames(x.length);
        int nMels = params.nMels();
        float[] out = new float[nMels * frames];
        long t0 = System.nanoTime();
        double[] signal = pad(x, frames);
        if (timers != null) timers[0] += System.nanoTime() - t0;
        for (int f0 = 0; f0 < frames; f0 += L) {
            if (timers == null) {
                transform(signal, f0 * hop);
                melOfBlock();
            } else {
                long t1 = System.nanoTime();
                transform(signal, f0 * hop);
                long t2 = System.nanoTime();
                melOfBlock();
                timers[1] += t2 - t1;
                timers[2] += System.nanoTime() - t2;
            }
            int lanes = Math.min(L, frames - f0);
            for (int b = 0; b < nMels; b++) {
                int row = b * frames + f0;
                for (int l = 0; l < lanes; l++) out[row + l] = (float) acc[b * L + l];
            }
        }
        return out;
    }

    /**
     * The signal as the frames see it: frame f is padded[f*hop .. f*hop + n), with center padding
     * (zeros or reflection, as librosa pads) and zeros past it for the unused lanes of the last block.
     */
    private double[] pad(float[] x, int frames) {
        int hop = params.hopLength();
        int before = params.center() ? n / 2 : 0;
        int blocks = (frames + L - 1) / L;
        int length = Math.max((blocks * L - 1) * hop + n, before + x.length);
        if (padded.length < length) padded = new double[length];
        double[] out = padded;
        java.util.Arrays.fill(out, 0, before, 0);
        java.util.Arrays.fill(out, before + x.length, length, 0);
        for (int i = 0; i < x.length; i++) out[before + i] = x[i];
        if ("reflect".equals(params.padMode()) && x.length >= 2) {
            int period = 2 * (x.length - 1);
            for (int i = 0; i < before; i++) {
                out[before - 1 - i] = reflect(x, -1 - i, period);
                int after = before + x.length + i;
                if (after < length) out[after] = reflect(x, x.length + i, period);
            }
        }
        return out;
    }

    private static double reflect(float[] x, int i, int period) {
        int r = Math.floorMod(i, period);
        return x[r < x.length ? r : period - r];
    }

    /** The complex FFT of the packed frames starting at {@code base}, into rowsRe/rowsIm (row k1 = Z[k1 + P*k2]). */
    private void transform(double[] x, int base) {
        for (int n2 = 0; n2 < q; n2++) {
            // Column n2: z[Q*n1 + n2] for n1 = 0..P-1, windowed, in bit-reversed order.
            for (int n1 = 0; n1 < p; n1++) {
                int t = 2 * (q * n1 + n2);
                DoubleVector re = DoubleVector.fromArray(S, x, base + t, hopMap, 0).mul(window[t]);
                DoubleVector im = DoubleVector.fromArray(S, x, base + t + 1, hopMap, 0).mul(window[t + 1]);
                int at = revP[n1] * L;
                re.intoArray(colRe, at);
                im.intoArray(colIm, at);
            }
            fft(colRe, colIm, 0, p, m / p);
            // Twiddle and scatter into row k1 at the bit-reversed position of n2 for the row FFTs.
            int col = revQ[n2] * L;
            for (int k1 = 0; k1 < p; k1++) {
                DoubleVector re = DoubleVector.fromArray(S, colRe, k1 * L);
                DoubleVector im = DoubleVector.fromArray(S, colIm, k1 * L);
                double wr = stepRe[k1 * q + n2], wi = stepIm[k1 * q + n2];
                int at = k1 * q * L + col;
                re.mul(wr).sub(im.mul(wi)).intoArray(rowsRe, at);
                re.mul(wi).add(im.mul(wr)).intoArray(rowsIm, at);
            }
        }
        for (int k1 = 0; k1 < p; k1++) fft(rowsRe, rowsIm, k1 * q * L, q, m / q);
    }

    /**
     * In-place DIT FFT of {@code size} points (L lanes each) at {@code off}, input in bit-reversed
     * order; W_size^j is twRe[j * stride]. A radix-2 stage when log2(size) is odd, then radix-4
     * stages: each radix-4 step is two radix-2 stages done in registers, so the data are loaded and
     * stored half as often (the sub-FFTs live in L1 and are bound by loads and stores, not flops).
     */
    private void fft(double[] re, double[] im, int off, int size, int stride) {
        int half = 1;
        if ((Integer.numberOfTrailingZeros(size) & 1) == 1) {
            for (int k = 0; k < size; k += 2) { // W = 1
                int a = off + k * L, b = a + L;
                DoubleVector ar = DoubleVector.fromArray(S, re, a), ai = DoubleVector.fromArray(S, im, a);
                DoubleVector br = DoubleVector.fromArray(S, re, b), bi = DoubleVector.fromArray(S, im, b);
                ar.add(br).intoArray(re, a);
                ai.add(bi).intoArray(im, a);
                ar.sub(br).intoArray(re, b);
                ai.sub(bi).intoArray(im, b);
            }
            half = 2;
        }
        for (; half < size; half <<= 2) {
            // Stages with half h and 2h: twiddles W_2h^j and W_4h^j (and W_4h^(j+h) = -i W_4h^j).
            int step2 = stride * (size / (2 * half)), step4 = step2 / 2;
            int h = half * L;
            for (int j = 0; j < half; j++) {
                DoubleVector w2r = DoubleVector.broadcast(S, twRe[j * step2]), w2i = DoubleVector.broadcast(S, twIm[j * step2]);
                DoubleVector w4r = DoubleVector.broadcast(S, twRe[j * step4]), w4i = DoubleVector.broadcast(S, twIm[j * step4]);
                for (int k = j; k < size; k += 4 * half) {
                    int a0 = off + k * L, a1 = a0 + h, a2 = a1 + h, a3 = a2 + h;
                    DoubleVector x0r = DoubleVector.fromArray(S, re, a0), x0i = DoubleVector.fromArray(S, im, a0);
                    DoubleVector x1r = DoubleVector.fromArray(S, re, a1), x1i = DoubleVector.fromArray(S, im, a1);
                    DoubleVector x2r = DoubleVector.fromArray(S, re, a2), x2i = DoubleVector.fromArray(S, im, a2);
                    DoubleVector x3r = DoubleVector.fromArray(S, re, a3), x3i = DoubleVector.fromArray(S, im, a3);
                    // First stage (half h): (x0, x1) and (x2, x3) with W_2h^j.
                    DoubleVector t1r = x1r.mul(w2r).sub(x1i.mul(w2i)), t1i = x1r.mul(w2i).add(x1i.mul(w2r));
                    DoubleVector t3r = x3r.mul(w2r).sub(x3i.mul(w2i)), t3i = x3r.mul(w2i).add(x3i.mul(w2r));
                    DoubleVector y0r = x0r.add(t1r), y0i = x0i.add(t1i), y1r = x0r.sub(t1r), y1i = x0i.sub(t1i);
                    DoubleVector y2r = x2r.add(t3r), y2i = x2i.add(t3i), y3r = x2r.sub(t3r), y3i = x2i.sub(t3i);
                    // Second stage (half 2h): (y0, y2) with W_4h^j, (y1, y3) with -i W_4h^j.
                    DoubleVector u2r = y2r.mul(w4r).sub(y2i.mul(w4i)), u2i = y2r.mul(w4i).add(y2i.mul(w4r));
                    DoubleVector v3r = y3r.mul(w4r).sub(y3i.mul(w4i)), v3i = y3r.mul(w4i).add(y3i.mul(w4r));
                    // -i * (v3r + i v3i) = v3i - i v3r
                    y0r.add(u2r).intoArray(re, a0);
                    y0i.add(u2i).intoArray(im, a0);
                    y0r.sub(u2r).intoArray(re, a2);
                    y0i.sub(u2i).intoArray(im, a2);
                    y1r.add(v3i).intoArray(re, a1);
                    y1i.sub(v3r).intoArray(im, a1);
                    y1r.sub(v3i).intoArray(re, a3);
                    y1i.add(v3r).intoArray(im, a3);
                }
            }
        }
    }

    /** Unpacks the real spectrum X[k], k = 0..M, from Z, squares it and applies the mel bank into acc. */
    private void melOfBlock() {
        java.util.Arrays.fill(acc, 0);
        boolean magnitude = params.power() == 1.0;
        for (int k = 0; k <= m; k++) {
            int a = at(k == m ? 0 : k), c = at(k == 0 ? 0 : m - k);
            DoubleVector zr = DoubleVector.fromArray(S, rowsRe, a), zi = DoubleVector.fromArray(S, rowsIm, a);
            DoubleVector yr = DoubleVector.fromArray(S, rowsRe, c), yi = DoubleVector.fromArray(S, rowsIm, c);
            // Even part E = (Z[k] + conj Z[M-k]) / 2, odd part O = (Z[k] - conj Z[M-k]) / 2i, X = E + W^k O.
            DoubleVector er = zr.add(yr).mul(0.5), ei = zi.sub(yi).mul(0.5);
            DoubleVector or = zi.add(yi).mul(0.5), oi = yr.sub(zr).mul(0.5);
            double wr = unpackRe[k], wi = unpackIm[k];
            DoubleVector xr = er.add(or.mul(wr)).sub(oi.mul(wi));
            DoubleVector xi = ei.add(or.mul(wi)).add(oi.mul(wr));
            DoubleVector pow = xr.mul(xr).add(xi.mul(xi));
            if (magnitude) pow = pow.sqrt();
            int band = bank.lowBand(k) * L;
            DoubleVector.fromArray(S, acc, band).add(pow.mul(bank.lowWeight(k))).intoArray(acc, band);
            DoubleVector.fromArray(S, acc, band + L).add(pow.mul(bank.highWeight(k))).intoArray(acc, band + L);
        }
    }

    /** Where Z[k] is after the row FFTs: k = k1 + P*k2 sits in row k1 at column k2. */
    private int at(int k) {
        return ((k % p) * q + k / p) * L;
    }

    private static int[] bitReversal(int size) {
        int bits = Integer.numberOfTrailingZeros(size);
        int[] r = new int[size];
        for (int i = 0; i < size; i++) r[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
        return r;
    }
}
