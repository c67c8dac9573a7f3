package dev.genre.audio.mel;

/**
 * librosa.filters.mel as a sparse matrix. The triangles overlap only their neighbours, so every FFT
 * bin feeds at most two adjacent bands; the bank is stored per bin ({@code firstBand[k]} and its two
 * weights), and applying it is one pass over the spectrum, two multiply-adds per bin, instead of a
 * dense 128 x 1025 product (1,100 non-zeros out of 131,200).
 */
public final class MelFilterBank {
    private final int[] firstBin;
    private final double[][] weights;
    private final int bins;
    // Per-bin form used by apply(): bin k adds lowWeight[k] to band lowBand[k] and highWeight[k] to the next.
    private final int[] lowBand;
    private final double[] lowWeight;
    private final double[] highWeight;

    public MelFilterBank(MelParams p) {
        boolean htk = "htk".equals(p.melScale());
        int nMels = p.nMels();
        bins = p.bins();
        double[] melF = new double[nMels + 2];
        double melMin = MelScale.hzToMel(p.fMin(), htk), melMax = MelScale.hzToMel(p.fMax(), htk);
        for (int i = 0; i < melF.length; i++) {
            melF[i] = MelScale.melToHz(melMin + (melMax - melMin) * i / (nMels + 1), htk);
        }
        firstBin = new int[nMels];
        weights = new double[nMels][];
        double[] dense = new double[bins];
        for (int m = 0; m < nMels; m++) {
            double lowDiff = melF[m + 1] - melF[m], highDiff = melF[m + 2] - melF[m + 1];
            double enorm = "slaney".equals(p.norm()) ? 2.0 / (melF[m + 2] - melF[m]) : 1.0;
            int first = -1, last = -1;
            for (int k = 0; k < bins; k++) {
                double f = (double) k * p.sampleRate() / p.nFft();
                double lower = (f - melF[m]) / lowDiff;
                double upper = (melF[m + 2] - f) / highDiff;
                dense[k] = Math.max(0, Math.min(lower, upper)) * enorm;
                if (dense[k] > 0) {
                    if (first < 0) first = k;
                    last = k;
                }
            }
            // An empty band (too many mels for n_fft) stays empty, as in librosa, which warns.
            firstBin[m] = Math.max(first, 0);
            weights[m] = first < 0 ? new double[0] : java.util.Arrays.copyOfRange(dense, first, last + 1);
        }
        lowBand = new int[bins];
        lowWeight = new double[bins];
        highWeight = new double[bins];
        for (int k = 0; k < bins; k++) {
            int low = -1;
            for (int m = 0; m < nMels; m++) {
                if (weight(m, k) == 0) continue;
                if (low < 0) {
                    low = m;
                } else if (m != low + 1) {
                    throw new IllegalStateException("bin " + k + " feeds non-adjacent bands " + low + " and " + m);
                }
            }
            // A bin in no band points at the spare slot nMels with zero weights.
            lowBand[k] = low < 0 ? nMels : low;
            lowWeight[k] = low < 0 ? 0 : weight(low, k);
            highWeight[k] = low < 0 || low + 1 >= nMels ? 0 : weight(low + 1, k);
        }
    }

    public int bands() {
        return weights.length;
    }

    public int bins() {
        return bins;
    }

    public int nonZeros() {
        int n = 0;
        for (double[] w : weights) n += w.length;
        return n;
    }

    /**
     * out[offset + m] = sum_k W[m,k] * spectrum[k]; {@code acc} is scratch of {@code bands() + 2}.
     */
    public void apply(double[] spectrum, double[] acc, float[] out, int offset) {
        java.util.Arrays.fill(acc, 0);
        // Bins with the same low band form a run; two running sums per run, split over even and odd
        // bins, keep four independent add chains in flight instead of one store-to-load chain per bin.
        int k = 0;
        while (k < bins) {
            int b = lowBand[k];
            double lo0 = 0, hi0 = 0, lo1 = 0, hi1 = 0;
            for (; k + 1 < bins && lowBand[k + 1] == b; k += 2) {
                double p0 = spectrum[k], p1 = spectrum[k + 1];
                lo0 += lowWeight[k] * p0;
                hi0 += highWeight[k] * p0;
                lo1 += lowWeight[k + 1] * p1;
                hi1 += highWeight[k + 1] * p1;
            }
            if (k < bins && lowBand[k] == b) {
                lo0 += lowWeight[k] * spectrum[k];
                hi0 += highWeight[k] * spectrum[k];
                k++;
            }
            acc[b] += lo0 + lo1;
            acc[b + 1] += hi0 + hi1;
        }
        int n = weights.length;
        for (int m = 0; m < n; m++) out[offset + m] = (float) acc[m];
    }

    // Per-bin accessors for the vector kernel, which applies the bank to several frames at once.
    int lowBand(int k) {
        return lowBand[k];
    }

    double lowWeight(int k) {
        return lowWeight[k];
    }

    double highWeight(int k) {
        return highWeight[k];
    }

    /** The dense weight W[m][k], for tests and exports. */
    public double weight(int m, int k) {
        int j = k - firstBin[m];
        return j >= 0 && j < weights[m].length ? weights[m][j] : 0;
    }
}
