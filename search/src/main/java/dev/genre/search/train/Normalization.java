package dev.genre.search.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.genre.dataset.SegmentDataset;

/**
 * How log-mels (dB) are standardised before the network: minus a level, over the training standard
 * deviation around it; or, per mel band, minus the band's training mean and over its spread.
 *
 * @param segmentLevel subtract each segment's own mean level (the default) instead of the training
 *     mean, so a gain change (a constant dB offset) does not reach the network; {@code std} is then
 *     the spread around the segments' own means. On GTZAN cross-validation it gained 2-8 clip points
 *     over the training mean in each of three runs, and it keeps quiet passages from driving the
 *     activations to 50-100x their usual range, which int8 ranges suffered from. Chosen at training
 *     time ({@code -Dgenre.level=dataset} for the training mean), recorded in train.json; the ONNX
 *     export writes it into the graph.
 * @param bandMean, bandStd per mel band, the training mean (after the level) and spread; null unless
 *     {@code -Dgenre.bands=standardise}. With them, a band's value is {@code (x - level - bandMean[m]) / bandStd[m]}:
 *     the network sees each band's deviation from the training set's average spectrum, every band on one scale.
 */
@JsonPropertyOrder({"mean", "std", "segmentLevel", "bandMean", "bandStd"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Normalization(double mean, double std, boolean segmentLevel, double[] bandMean, double[] bandStd) {
    public Normalization(double mean, double std, boolean segmentLevel) {
        this(mean, std, segmentLevel, null, null);
    }

    public Normalization {
        if ((bandMean == null) != (bandStd == null) || bandMean != null && bandMean.length != bandStd.length) {
            throw new IllegalArgumentException("per-band normalisation needs a mean and a spread for every band");
        }
    }

    /** Reads {@code -Dgenre.level}: {@code segment} (default) or {@code dataset}. */
    static boolean segmentLevelRequested() {
        String level = System.getProperty("genre.level", "segment");
        if (!level.equals("dataset") && !level.equals("segment")) throw new IllegalArgumentException("-Dgenre.level: dataset or segment, not " + level);
        return level.equals("segment");
    }

    /** Reads {@code -Dgenre.bands}: {@code global} (default, one mean and spread) or {@code standardise} (per band). */
    static boolean perBandRequested() {
        String bands = System.getProperty("genre.bands", "global");
        if (!bands.equals("global") && !bands.equals("standardise")) throw new IllegalArgumentException("-Dgenre.bands: global or standardise, not " + bands);
        return bands.equals("standardise");
    }

    public boolean perBand() {
        return bandMean != null;
    }

    public static Normalization of(SegmentDataset train) {
        boolean perSegment = segmentLevelRequested();
        int bands = train.nMels(), frames = train.frames();
        double sum = 0, sq = 0;
        double[] bandSum = new double[bands], bandSq = new double[bands];
        long n = 0;
        float[] seg = new float[bands * frames];
        for (int i = 0; i < train.size(); i++) {
            train.copy(i, seg, 0);
            double level = perSegment ? mean(seg, 0, seg.length) : 0;
            for (int j = 0; j < seg.length; j++) {
                double v = seg[j] - level;
                sum += v;
                sq += v * v;
                bandSum[j / frames] += v;
                bandSq[j / frames] += v * v;
            }
            n += seg.length;
        }
        double mean = sum / n, std = Math.sqrt(Math.max(1e-6, sq / n - mean * mean));
        if (!perBandRequested()) return new Normalization(perSegment ? 0 : mean, std, perSegment);
        double[] bandMean = new double[bands], bandStd = new double[bands];
        long perBand = n / bands;
        for (int m = 0; m < bands; m++) {
            bandMean[m] = bandSum[m] / perBand;
            // A floor at a tenth of the global spread: a near-silent band (above a lowpassed source's
            // cutoff) must not be amplified into the largest input.
            bandStd[m] = Math.max(0.1 * std, Math.sqrt(Math.max(0, bandSq[m] / perBand - bandMean[m] * bandMean[m])));
        }
        return new Normalization(0, 1, perSegment, bandMean, bandStd);
    }

    /** Standardises one segment x[off .. off+n), mel-band-major (n = bands x frames), in place. */
    public void apply(float[] x, int off, int n) {
        float level = (float) (segmentLevel ? mean(x, off, n) : mean);
        if (!perBand()) {
            float inv = (float) (1 / std);
            for (int j = off; j < off + n; j++) x[j] = (x[j] - level) * inv;
            return;
        }
        int frames = n / bandMean.length;
        for (int m = 0; m < bandMean.length; m++) {
            float shift = (float) (level + bandMean[m]), inv = (float) (1 / bandStd[m]);
            for (int j = off + m * frames, end = j + frames; j < end; j++) x[j] = (x[j] - shift) * inv;
        }
    }

    private static double mean(float[] x, int off, int n) {
        double s = 0;
        for (int j = off; j < off + n; j++) s += x[j];
        return s / n;
    }
}
