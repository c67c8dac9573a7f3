package dev.genre.search.train;

import dev.genre.dataset.SegmentDataset;
import java.util.SplittableRandom;

/**
 * Fills input and target buffers: random time crops (optionally tempo-stretched and pitch-shifted),
 * SpecAugment masks (set to the mean, i.e. 0 after normalisation) and mixup for training; fixed
 * windows for evaluation. Inputs are standardised as {@link Normalization} says. The optional
 * augmentations draw from the random stream only when on, so recipes without them are unchanged.
 */
public final class Batches {
    private final SegmentDataset data;
    private final TrainConfig cfg;
    private final Normalization norm;
    private final int classes;
    public final int perSegment;
    private final float[] shifted;
    private final float[] partner;
    private final int[][] segmentsOfGenre;
    private final float[] targetWeights; // class balance by loss, else null

    public Batches(SegmentDataset data, TrainConfig cfg, Normalization norm, int classes) {
        this.data = data;
        this.cfg = cfg;
        this.norm = norm;
        this.classes = classes;
        this.perSegment = data.nMels() * data.frames();
        this.shifted = new float[cfg.pitchShift() > 0 ? perSegment : 0];
        this.partner = new float[cfg.genreMix() > 0 ? perSegment : 0];
        this.segmentsOfGenre = cfg.genreMix() > 0 ? ClassBalance.segmentsByClass(data, classes) : null;
        this.targetWeights = cfg.classBalance().targetWeights(data, classes);
    }

    /** A training batch from segments {@code order[from .. from+n)}; targets are soft labels. */
    public void train(int[] order, int from, int n, SplittableRandom rng, float[] x, float[] target) {
        java.util.Arrays.fill(target, 0, n * classes, 0f);
        float off = (float) (cfg.labelSmoothing() / classes), on = (float) (1 - cfg.labelSmoothing()) + off;
        for (int i = 0; i < n; i++) {
            int seg = order[from + i];
            if (cfg.timeStretch() > 0) {
                double rate = Math.exp((2 * rng.nextDouble() - 1) * Math.log1p(cfg.timeStretch()));
                data.copyRandomStretchedCrop(seg, rate, rng, x, i * perSegment);
            } else {
                data.copyRandomCrop(seg, rng, x, i * perSegment);
            }
            if (cfg.pitchShift() > 0) {
                shiftMels(x, i * perSegment, data.nMels(), data.frames(), (2 * rng.nextDouble() - 1) * cfg.pitchShift(), shifted);
            }
            if (cfg.genreMix() > 0 && rng.nextDouble() < cfg.genreMix()) blendWithGenre(seg, rng, x, i * perSegment);
            normalise(x, i * perSegment);
            specAugment(x, i * perSegment, rng);
            float w = targetWeights == null ? 1f : targetWeights[data.label(seg)];
            for (int c = 0; c < classes; c++) target[i * classes + c] = off * w;
            target[i * classes + data.label(seg)] = on * w;
        }
        if (cfg.mixupAlpha() > 0) mixup(n, rng, x, target);
    }

    /** Evaluation segments {@code from .. from+n) in order, unaugmented. */
    public void eval(int from, int n, float[] x) {
        for (int i = 0; i < n; i++) {
            data.copy(from + i, x, i * perSegment);
            normalise(x, i * perSegment);
        }
    }

    /** Evaluation segments {@code segments[from .. from+n)}, unaugmented. */
    public void evalAt(int[] segments, int from, int n, float[] x) {
        for (int i = 0; i < n; i++) {
            data.copy(segments[from + i], x, i * perSegment);
            normalise(x, i * perSegment);
        }
    }

    /**
     * Blends the crop at {@code off} with a random crop of another clip of the same genre, the partner
     * weighted uniformly in [0, 0.5) so the crop stays the dominant one; nothing when its genre has one clip.
     */
    private void blendWithGenre(int seg, SplittableRandom rng, float[] x, int off) {
        int other = partnerOf(seg, rng);
        if (other < 0) return;
        data.copyRandomCrop(other, rng, partner, 0);
        float w = (float) (0.5 * rng.nextDouble());
        for (int k = 0; k < perSegment; k++) x[off + k] = (1 - w) * x[off + k] + w * partner[k];
    }

    /** A random segment of another clip of {@code seg}'s genre, or -1 when 16 draws found none (a genre of one clip). */
    int partnerOf(int seg, SplittableRandom rng) {
        int[] same = segmentsOfGenre[data.label(seg)];
        for (int tries = 0; tries < 16; tries++) {
            int other = same[rng.nextInt(same.length)];
            if (data.clipOf(other) != data.clipOf(seg)) return other;
        }
        return -1;
    }

    private void normalise(float[] x, int off) {
        norm.apply(x, off, perSegment);
    }

    /**
     * Moves the segment {@code bins} mel bands up (positive) or down, interpolating between bands
     * and repeating the edge band where the shift uncovers one. Above 1 kHz Slaney mels are
     * log-spaced, so this is a pitch shift there; below it is a small frequency offset.
     */
    static void shiftMels(float[] x, int off, int mels, int frames, double bins, float[] shifted) {
        System.arraycopy(x, off, shifted, 0, mels * frames);
        for (int f = 0; f < mels; f++) {
            double src = Math.min(Math.max(f - bins, 0), mels - 1);
            int lo = (int) src, hi = Math.min(lo + 1, mels - 1);
            float w = (float) (src - lo);
            for (int t = 0; t < frames; t++) x[off + f * frames + t] = (1 - w) * shifted[lo * frames + t] + w * shifted[hi * frames + t];
        }
    }

    private void specAugment(float[] x, int off, SplittableRandom rng) {
        int mels = data.nMels(), frames = data.frames();
        for (int m = 0; m < cfg.freqMasks(); m++) {
            int w = rng.nextInt(cfg.freqMaskWidth() + 1), f0 = rng.nextInt(Math.max(1, mels - w));
            for (int f = f0; f < f0 + w; f++) java.util.Arrays.fill(x, off + f * frames, off + (f + 1) * frames, 0f);
        }
        for (int m = 0; m < cfg.timeMasks(); m++) {
            int w = rng.nextInt(cfg.timeMaskWidth() + 1), t0 = rng.nextInt(Math.max(1, frames - w));
            for (int f = 0; f < mels; f++) java.util.Arrays.fill(x, off + f * frames + t0, off + f * frames + t0 + w, 0f);
        }
    }

    /** Mixes each example with a shuffled partner: x = l x_i + (1-l) x_j, same for targets. */
    private void mixup(int n, SplittableRandom rng, float[] x, float[] target) {
        float[] xCopy = java.util.Arrays.copyOf(x, n * perSegment);
        float[] tCopy = java.util.Arrays.copyOf(target, n * classes);
        for (int i = 0; i < n; i++) {
            int j = rng.nextInt(n);
            float l = (float) beta(cfg.mixupAlpha(), rng);
            l = Math.max(l, 1 - l); // keep the first example dominant, as in the mixup paper's implementation
            for (int k = 0; k < perSegment; k++) x[i * perSegment + k] = l * xCopy[i * perSegment + k] + (1 - l) * xCopy[j * perSegment + k];
            for (int c = 0; c < classes; c++) target[i * classes + c] = l * tCopy[i * classes + c] + (1 - l) * tCopy[j * classes + c];
        }
    }

    /** Beta(a, a) from two gamma draws (Marsaglia-Tsang, with the a < 1 boost). */
    static double beta(double a, SplittableRandom rng) {
        double g1 = gamma(a, rng), g2 = gamma(a, rng);
        return g1 / (g1 + g2);
    }

    private static double gamma(double a, SplittableRandom rng) {
        if (a < 1) return gamma(a + 1, rng) * Math.pow(rng.nextDouble(), 1 / a);
        double d = a - 1.0 / 3, c = 1 / Math.sqrt(9 * d);
        while (true) {
            double z, v;
            do {
                z = gaussian(rng);
                v = 1 + c * z;
            } while (v <= 0);
            v = v * v * v;
            double u = rng.nextDouble();
            if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
        }
    }

    private static double gaussian(SplittableRandom rng) {
        double u1 = rng.nextDouble(), u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
