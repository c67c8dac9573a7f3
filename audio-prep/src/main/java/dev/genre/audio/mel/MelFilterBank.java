package dev.genre.audio.mel;

/**
 * librosa.filters.mel as a sparse matrix: each band stores only its contiguous run of non-zero
 * weights. A 128-band bank over 1025 bins has about 1,100 non-zeros instead of 131,200, so applying
 * it costs about one multiply per FFT bin.
 */
public final class MelFilterBank {
    private final int[] firstBin;
    private final double[][] weights;
    private final int bins;

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

    /** out[m * stride + offset] = sum_k W[m,k] * spectrum[k]. */
    public void apply(double[] spectrum, float[] out, int offset, int stride) {
        for (int m = 0; m < weights.length; m++) {
            double[] w = weights[m];
            int k0 = firstBin[m];
            double acc = 0;
            for (int j = 0; j < w.length; j++) acc += w[j] * spectrum[k0 + j];
            out[m * stride + offset] = (float) acc;
        }
    }

    /** The dense weight W[m][k], for tests and exports. */
    public double weight(int m, int k) {
        int j = k - firstBin[m];
        return j >= 0 && j < weights[m].length ? weights[m][j] : 0;
    }
}
