package dev.genre.audio.mel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
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
 * into the sparse mel bank. Double precision from the gather on (the samples are floats), like the
 * scalar path it replaces.
 *
 * <p>Loaded only when the {@code jdk.incubator.vector} module is present (see {@link MelPowerKernel}).
 */
final class VectorMelPower implements MelPowerKernel {
    // The widest vectors (512-bit here). The same kernel runs 4.4 or 6.0 ms per clip depending on where
    // the last full GC left its arrays (measured; a region-aligned humongous scratch array did not
    // remove it, so it is not 64-byte alignment alone). 256-bit vectors are stable at 5.7 ms; aligned
    // off-heap ByteBuffers take 11 ms on JDK 17 (their vector loads are not fully intrinsified).
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    // As many floats as S has doubles, for converting whole vectors.
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED.withShape(jdk.incubator.vector.VectorShape.forBitSize(L * 32));

    private final MelParams params;
    private final MelFilterBank bank;
    private final int n, m, p, q, logP;
    private final double[] window;
    // Twiddles: W_M^(n2*k1) between the steps, and one table W_M^j for both sub-FFT sizes.
    private final double[] stepRe, stepIm, twRe, twIm;
    // Real-FFT unpacking: W_N^k, k = 0..M.
    private final double[] unpackRe, unpackIm;
    private final int[] revP, revQ;
    private final int[] laneOffsets;
    private final double[] colRe, colIm, inRe, inIm, rowsRe, rowsIm, acc;
    private final int[] hopMap;
    // Reused across clips: a fresh 5 MB array per 30 s clip is a G1 humongous allocation, and two
    // threads allocating those serialised on the heap lock (1.0x scaling on 2 cores instead of 1.9x).
    private float[] padded = new float[0];

    VectorMelPower(MelParams params, MelFilterBank bank) {
        this.params = params;
        this.bank = bank;
        n = params.nFft();
        m = n / 2;
        int bits = Integer.numberOfTrailingZeros(m);
        logP = bits / 2;
        p = 1 << logP;
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
        colRe = new double[Math.max(p, FAST) * L];
        colIm = new double[Math.max(p, FAST) * L];
        inRe = new double[FAST * L];
        inIm = new double[FAST * L];
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
        float[] signal = pad(x, frames);
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
    private float[] pad(float[] x, int frames) {
        int hop = params.hopLength();
        int before = params.center() ? n / 2 : 0;
        int blocks = (frames + L - 1) / L;
        int length = Math.max((blocks * L - 1) * hop + n, before + x.length);
        if (padded.length < length) padded = new float[length];
        float[] out = padded;
        java.util.Arrays.fill(out, 0, before, 0);
        java.util.Arrays.fill(out, before + x.length, length, 0);
        System.arraycopy(x, 0, out, before, x.length);
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

    private static float reflect(float[] x, int i, int period) {
        int r = Math.floorMod(i, period);
        return x[r < x.length ? r : period - r];
    }

    /** The complex FFT of the packed frames starting at {@code base}, into rowsRe/rowsIm (row k1 = Z[k1 + P*k2]). */
    private void transform(float[] x, int base) {
        for (int n2 = 0; n2 < q; n2++) {
            if (p == FAST) {
                column32(x, base, n2);
            } else {
                generalColumn(x, base, n2);
            }
        }
        for (int k1 = 0; k1 < p; k1++) {
            if (q == FAST) {
                row32(k1 * q * L);
            } else {
                fft(rowsRe, rowsIm, k1 * q * L, q, m / q);
            }
        }
    }

    /** Where column n2's values go in each row: natural order for the 32-point rows, bit-reversed for the general FFT. */
    private int rowSlot(int n2) {
        return (q == FAST ? n2 : revQ[n2]) * L;
    }

    private void generalColumn(float[] x, int base, int n2) {
        // Column n2: z[Q*n1 + n2] for n1 = 0..P-1, windowed, in bit-reversed order.
        for (int n1 = 0; n1 < p; n1++) {
            int at = revP[n1] * L, t = 2 * (q * n1 + n2);
            widen(FloatVector.fromArray(F, x, base + t, hopMap, 0)).mul(window[t]).intoArray(colRe, at);
            widen(FloatVector.fromArray(F, x, base + t + 1, hopMap, 0)).mul(window[t + 1]).intoArray(colIm, at);
        }
        fft(colRe, colIm, 0, p, m / p);
        int col = rowSlot(n2);
        for (int k1 = 0; k1 < p; k1++) {
            DoubleVector re = DoubleVector.fromArray(S, colRe, k1 * L);
            DoubleVector im = DoubleVector.fromArray(S, colIm, k1 * L);
            double wr = stepRe[k1 * q + n2], wi = stepIm[k1 * q + n2];
            int at = k1 * q * L + col;
            re.mul(wr).sub(im.mul(wi)).intoArray(rowsRe, at);
            re.mul(wi).add(im.mul(wr)).intoArray(rowsIm, at);
        }
    }

    // The default n_fft (2048) is a 32 x 32 four-step: both sub-FFTs take this path, 32 = 8 x 4 in
    // registers (an 8-point pass, then a 4-point pass with the twiddles fused into the loads and
    // stores), touching memory 2 times per point instead of 6 for radix-2/4 and a separate twiddle pass.
    private static final int FAST = 32;
    private static final double SQRT_HALF = Math.sqrt(0.5);

    /** The samples are floats; everything after the gather is double. */
    private static DoubleVector widen(FloatVector v) {
        return (DoubleVector) v.convertShape(VectorOperators.F2D, S, 0);
    }

    /** Column n2 of the four-step: 32-point FFT of z[Q*n1 + n2], twiddled by W_M^(n2*k1) into row k1. */
    private void column32(float[] x, int base, int n2) {
        // Gathered into a scratch first: a vector that is either gathered or loaded (one fft8 for
        // both) would merge two vector values in one variable, which C2 (JDK 17) boxes on the heap.
        for (int n1 = 0; n1 < FAST; n1++) {
            int t = 2 * (q * n1 + n2);
            widen(FloatVector.fromArray(F, x, base + t, hopMap, 0)).mul(window[t]).intoArray(inRe, n1 * L);
            widen(FloatVector.fromArray(F, x, base + t + 1, hopMap, 0)).mul(window[t + 1]).intoArray(inIm, n1 * L);
        }
        for (int b = 0; b < 4; b++) fft8(inRe, inIm, 0, b);
        int col = rowSlot(n2);
        for (int c = 0; c < 8; c++) fft4(true, n2, col, c);
    }

    /** A 32-point FFT of the row at {@code off}, in place, natural order in and out. */
    private void row32(int off) {
        for (int b = 0; b < 4; b++) fft8(rowsRe, rowsIm, off, b);
        for (int c = 0; c < 8; c++) fft4(false, 0, off, c);
    }

    /**
     * The 8-point DFTs of a 32-point transform v (32 points of L lanes at {@code off}):
     * F_b[c] = sum_a v[4a + b] W_8^(ac), into colRe/colIm[(8b + c) * L].
     */
    private void fft8(double[] re, double[] im, int off, int b) {
        int o = off + b * L, s4 = 4 * L;
        DoubleVector x0r = DoubleVector.fromArray(S, re, o), x0i = DoubleVector.fromArray(S, im, o);
        DoubleVector x1r = DoubleVector.fromArray(S, re, o + s4), x1i = DoubleVector.fromArray(S, im, o + s4);
        DoubleVector x2r = DoubleVector.fromArray(S, re, o + 2 * s4), x2i = DoubleVector.fromArray(S, im, o + 2 * s4);
        DoubleVector x3r = DoubleVector.fromArray(S, re, o + 3 * s4), x3i = DoubleVector.fromArray(S, im, o + 3 * s4);
        DoubleVector x4r = DoubleVector.fromArray(S, re, o + 4 * s4), x4i = DoubleVector.fromArray(S, im, o + 4 * s4);
        DoubleVector x5r = DoubleVector.fromArray(S, re, o + 5 * s4), x5i = DoubleVector.fromArray(S, im, o + 5 * s4);
        DoubleVector x6r = DoubleVector.fromArray(S, re, o + 6 * s4), x6i = DoubleVector.fromArray(S, im, o + 6 * s4);
        DoubleVector x7r = DoubleVector.fromArray(S, re, o + 7 * s4), x7i = DoubleVector.fromArray(S, im, o + 7 * s4);
        // 4-point DFTs of the even (x0, x2, x4, x6) and odd (x1, x3, x5, x7) inputs.
        DoubleVector s0r = x0r.add(x4r), s0i = x0i.add(x4i), d0r = x0r.sub(x4r), d0i = x0i.sub(x4i);
        DoubleVector s1r = x2r.add(x6r), s1i = x2i.add(x6i), d1r = x2r.sub(x6r), d1i = x2i.sub(x6i);
        DoubleVector e0r = s0r.add(s1r), e0i = s0i.add(s1i), e2r = s0r.sub(s1r), e2i = s0i.sub(s1i);
        DoubleVector e1r = d0r.add(d1i), e1i = d0i.sub(d1r), e3r = d0r.sub(d1i), e3i = d0i.add(d1r);
        DoubleVector t0r = x1r.add(x5r), t0i = x1i.add(x5i), u0r = x1r.sub(x5r), u0i = x1i.sub(x5i);
        DoubleVector t1r = x3r.add(x7r), t1i = x3i.add(x7i), u1r = x3r.sub(x7r), u1i = x3i.sub(x7i);
        DoubleVector o0r = t0r.add(t1r), o0i = t0i.add(t1i), o2r = t0r.sub(t1r), o2i = t0i.sub(t1i);
        DoubleVector o1r = u0r.add(u1i), o1i = u0i.sub(u1r), o3r = u0r.sub(u1i), o3i = u0i.add(u1r);
        // W_8^1 O1 = (O1r + O1i, O1i - O1r)/sqrt2; W_8^2 O2 = -i O2; W_8^3 O3 = (O3i - O3r, -(O3r + O3i))/sqrt2.
        DoubleVector w1r = o1r.add(o1i).mul(SQRT_HALF), w1i = o1i.sub(o1r).mul(SQRT_HALF);
        DoubleVector w3r = o3i.sub(o3r).mul(SQRT_HALF), w3i = o3r.add(o3i).mul(-SQRT_HALF);
        // Every vector lives and dies in this method: C2 (JDK 17) boxes vectors passed to a call it
        // does not inline, so stores are written out rather than factored into a helper.
        int o8 = 8 * b * L;
        e0r.add(o0r).intoArray(colRe, o8);
        e0i.add(o0i).intoArray(colIm, o8);
        e1r.add(w1r).intoArray(colRe, o8 + L);
        e1i.add(w1i).intoArray(colIm, o8 + L);
        e2r.add(o2i).intoArray(colRe, o8 + 2 * L);
        e2i.sub(o2r).intoArray(colIm, o8 + 2 * L);
        e3r.add(w3r).intoArray(colRe, o8 + 3 * L);
        e3i.add(w3i).intoArray(colIm, o8 + 3 * L);
        e0r.sub(o0r).intoArray(colRe, o8 + 4 * L);
        e0i.sub(o0i).intoArray(colIm, o8 + 4 * L);
        e1r.sub(w1r).intoArray(colRe, o8 + 5 * L);
        e1i.sub(w1i).intoArray(colIm, o8 + 5 * L);
        e2r.sub(o2i).intoArray(colRe, o8 + 6 * L);
        e2i.add(o2r).intoArray(colIm, o8 + 6 * L);
        e3r.sub(w3r).intoArray(colRe, o8 + 7 * L);
        e3i.sub(w3i).intoArray(colIm, o8 + 7 * L);
    }

    /**
     * The 4-point DFTs over b: Y[c + 8d] = sum_b (F_b[c] W_32^(bc)) W_4^(bd). In a column, Y[k1] is
     * twiddled by W_M^(n2*k1) and goes to row k1 at slot {@code at}; in a row, Y[k2] goes back into
     * the row at {@code at} + k2.
     */
    private void fft4(boolean column, int n2, int at, int c) {
        int j = c * (m / FAST);
        double w1r = twRe[j], w1i = twIm[j], w2r = twRe[2 * j], w2i = twIm[2 * j], w3r = twRe[3 * j], w3i = twIm[3 * j];
        DoubleVector a0r = DoubleVector.fromArray(S, colRe, c * L), a0i = DoubleVector.fromArray(S, colIm, c * L);
        DoubleVector b1r = DoubleVector.fromArray(S, colRe, (8 + c) * L), b1i = DoubleVector.fromArray(S, colIm, (8 + c) * L);
        DoubleVector b2r = DoubleVector.fromArray(S, colRe, (16 + c) * L), b2i = DoubleVector.fromArray(S, colIm, (16 + c) * L);
        DoubleVector b3r = DoubleVector.fromArray(S, colRe, (24 + c) * L), b3i = DoubleVector.fromArray(S, colIm, (24 + c) * L);
        DoubleVector a1r = b1r.mul(w1r).sub(b1i.mul(w1i)), a1i = b1r.mul(w1i).add(b1i.mul(w1r));
        DoubleVector a2r = b2r.mul(w2r).sub(b2i.mul(w2i)), a2i = b2r.mul(w2i).add(b2i.mul(w2r));
        DoubleVector a3r = b3r.mul(w3r).sub(b3i.mul(w3i)), a3i = b3r.mul(w3i).add(b3i.mul(w3r));
        DoubleVector s0r = a0r.add(a2r), s0i = a0i.add(a2i), d0r = a0r.sub(a2r), d0i = a0i.sub(a2i);
        DoubleVector s1r = a1r.add(a3r), s1i = a1i.add(a3i), d1r = a1r.sub(a3r), d1i = a1i.sub(a3i);
        DoubleVector y0r = s0r.add(s1r), y0i = s0i.add(s1i), y1r = d0r.add(d1i), y1i = d0i.sub(d1r);
        DoubleVector y2r = s0r.sub(s1r), y2i = s0i.sub(s1i), y3r = d0r.sub(d1i), y3i = d0i.add(d1r);
        if (column) {
            int k0 = c, k1 = c + 8, k2 = c + 16, k3 = c + 24;
            double v0r = stepRe[k0 * q + n2], v0i = stepIm[k0 * q + n2], v1r = stepRe[k1 * q + n2], v1i = stepIm[k1 * q + n2];
            double v2r = stepRe[k2 * q + n2], v2i = stepIm[k2 * q + n2], v3r = stepRe[k3 * q + n2], v3i = stepIm[k3 * q + n2];
            int row = q * L;
            y0r.mul(v0r).sub(y0i.mul(v0i)).intoArray(rowsRe, k0 * row + at);
            y0r.mul(v0i).add(y0i.mul(v0r)).intoArray(rowsIm, k0 * row + at);
            y1r.mul(v1r).sub(y1i.mul(v1i)).intoArray(rowsRe, k1 * row + at);
            y1r.mul(v1i).add(y1i.mul(v1r)).intoArray(rowsIm, k1 * row + at);
            y2r.mul(v2r).sub(y2i.mul(v2i)).intoArray(rowsRe, k2 * row + at);
            y2r.mul(v2i).add(y2i.mul(v2r)).intoArray(rowsIm, k2 * row + at);
            y3r.mul(v3r).sub(y3i.mul(v3i)).intoArray(rowsRe, k3 * row + at);
            y3r.mul(v3i).add(y3i.mul(v3r)).intoArray(rowsIm, k3 * row + at);
        } else {
            y0r.intoArray(rowsRe, at + c * L);
            y0i.intoArray(rowsIm, at + c * L);
            y1r.intoArray(rowsRe, at + (c + 8) * L);
            y1i.intoArray(rowsIm, at + (c + 8) * L);
            y2r.intoArray(rowsRe, at + (c + 16) * L);
            y2i.intoArray(rowsIm, at + (c + 16) * L);
            y3r.intoArray(rowsRe, at + (c + 24) * L);
            y3i.intoArray(rowsIm, at + (c + 24) * L);
        }
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

    /**
     * Unpacks the real spectrum from Z, squares it and applies the mel bank into acc. Bins k and M-k
     * come from the same two loads: with E = (Z[k] + conj Z[M-k]) / 2 and O = (Z[k] - conj Z[M-k]) / 2i,
     * X[k] = E + W_N^k O and X[M-k] = conj(E - W_N^k O).
     */
    private void melOfBlock() {
        java.util.Arrays.fill(acc, 0);
        boolean magnitude = params.power() == 1.0;
        int half = m / 2;
        for (int k = 0; k <= half; k++) {
            int a = at(k), c = at(k == 0 ? 0 : m - k);
            DoubleVector zr = DoubleVector.fromArray(S, rowsRe, a), zi = DoubleVector.fromArray(S, rowsIm, a);
            DoubleVector yr = DoubleVector.fromArray(S, rowsRe, c), yi = DoubleVector.fromArray(S, rowsIm, c);
            DoubleVector er = zr.add(yr).mul(0.5), ei = zi.sub(yi).mul(0.5);
            DoubleVector or = zi.add(yi).mul(0.5), oi = yr.sub(zr).mul(0.5);
            double wr = unpackRe[k], wi = unpackIm[k];
            DoubleVector tr = or.mul(wr).sub(oi.mul(wi)), ti = or.mul(wi).add(oi.mul(wr));
            DoubleVector xr = er.add(tr), xi = ei.add(ti), yr2 = er.sub(tr), yi2 = ei.sub(ti);
            int mirror = m - k; // X[M-k]; the same bin as k when k = M/2
            int lo = bank.lowBand(k) * L, loM = bank.lowBand(mirror) * L;
            double wLo = bank.lowWeight(k), wHi = bank.highWeight(k), wLoM = bank.lowWeight(mirror), wHiM = bank.highWeight(mirror);
            // Written out per branch: a vector assigned on two paths is boxed on the heap by C2 (JDK 17).
            if (magnitude) {
                DoubleVector p = xr.mul(xr).add(xi.mul(xi)).sqrt();
                DoubleVector.fromArray(S, acc, lo).add(p.mul(wLo)).intoArray(acc, lo);
                DoubleVector.fromArray(S, acc, lo + L).add(p.mul(wHi)).intoArray(acc, lo + L);
                if (mirror != k) {
                    DoubleVector pm = yr2.mul(yr2).add(yi2.mul(yi2)).sqrt();
                    DoubleVector.fromArray(S, acc, loM).add(pm.mul(wLoM)).intoArray(acc, loM);
                    DoubleVector.fromArray(S, acc, loM + L).add(pm.mul(wHiM)).intoArray(acc, loM + L);
                }
            } else {
                DoubleVector p = xr.mul(xr).add(xi.mul(xi));
                DoubleVector.fromArray(S, acc, lo).add(p.mul(wLo)).intoArray(acc, lo);
                DoubleVector.fromArray(S, acc, lo + L).add(p.mul(wHi)).intoArray(acc, lo + L);
                if (mirror != k) {
                    DoubleVector pm = yr2.mul(yr2).add(yi2.mul(yi2));
                    DoubleVector.fromArray(S, acc, loM).add(pm.mul(wLoM)).intoArray(acc, loM);
                    DoubleVector.fromArray(S, acc, loM + L).add(pm.mul(wHiM)).intoArray(acc, loM + L);
                }
            }
        }
    }

    private static final double LN2 = Math.log(2), INV_LN10 = 1 / Math.log(10), SQRT2 = Math.sqrt(2);
    // 2 atanh(t) = ln((1+t)/(1-t)) = 2 (t + t^3/3 + t^5/5 + ...); |t| <= 0.1716 after normalising the
    // mantissa to [sqrt(1/2), sqrt(2)), so terms up to t^21 give ln to 1e-16.

    @Override
    public void powerToDb(float[] s) {
        double offset = PowerToDb.offset(params);
        float amin = (float) params.amin();
        // The running max is a scalar: a vector carried around the loop would be boxed by C2 (JDK 17).
        double max = Double.NEGATIVE_INFINITY;
        int i = 0;
        for (int upper = F.loopBound(s.length); i < upper; i += L) {
            DoubleVector x = (DoubleVector) FloatVector.fromArray(F, s, i).max(amin).convertShape(VectorOperators.F2D, S, 0);
            DoubleVector db = log10(x).mul(10).sub(offset);
            ((FloatVector) db.convertShape(VectorOperators.D2F, F, 0)).intoArray(s, i);
            max = Math.max(max, db.reduceLanes(VectorOperators.MAX));
        }
        float top = (float) max; // rounding is monotonic: the max of the stored floats
        for (; i < s.length; i++) { // the tail, as the scalar path does it
            float db = PowerToDb.db(s[i], amin, offset);
            s[i] = db;
            top = Math.max(top, db);
        }
        PowerToDb.clip(s, top, params);
    }

    /** log10 of positive, finite, normal doubles: exponent from the bits, ln of the mantissa by the atanh series. */
    private static DoubleVector log10(DoubleVector x) {
        LongVector bits = (LongVector) x.viewAsIntegralLanes();
        DoubleVector e = (DoubleVector) bits.lanewise(VectorOperators.LSHR, 52).sub(1023L).convert(VectorOperators.L2D, 0);
        DoubleVector mant = (DoubleVector) bits.and(0x000F_FFFF_FFFF_FFFFL).or(0x3FF0_0000_0000_0000L).viewAsFloatingLanes();
        VectorMask<Double> big = mant.compare(VectorOperators.GT, SQRT2);
        mant = mant.blend(mant.mul(0.5), big);
        e = e.blend(e.add(1), big);
        DoubleVector t = mant.sub(1).div(mant.add(1));
        DoubleVector t2 = t.mul(t);
        // Horner, written out (a vector carried around a loop would be boxed).
        DoubleVector series = t2.mul(1.0 / 21).add(1.0 / 19).mul(t2).add(1.0 / 17).mul(t2).add(1.0 / 15).mul(t2).add(1.0 / 13)
                .mul(t2).add(1.0 / 11).mul(t2).add(1.0 / 9).mul(t2).add(1.0 / 7).mul(t2).add(1.0 / 5).mul(t2).add(1.0 / 3).mul(t2).add(1);
        DoubleVector ln = t.mul(series).mul(2).add(e.mul(LN2));
        return ln.mul(INV_LN10);
    }

    /** Where Z[k] is after the row FFTs: k = k1 + P*k2 sits in row k1 at column k2 (P is a power of two). */
    private int at(int k) {
        return ((k & (p - 1)) * q + (k >>> logP)) * L;
    }

    private static int[] bitReversal(int size) {
        int bits = Integer.numberOfTrailingZeros(size);
        int[] r = new int[size];
        for (int i = 0; i < size; i++) r[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
        return r;
    }
}
