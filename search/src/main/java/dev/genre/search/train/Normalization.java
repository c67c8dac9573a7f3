package dev.genre.search.train;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.genre.dataset.SegmentDataset;

/**
 * How log-mels (dB) are standardised before the network: minus a level, over the training standard
 * deviation around it.
 *
 * @param segmentLevel subtract each segment's own mean level (the default) instead of the training
 *     mean, so a gain change (a constant dB offset) does not reach the network; {@code std} is then
 *     the spread around the segments' own means. On GTZAN cross-validation it gained 2-8 clip points
 *     over the training mean in each of three runs, and it keeps quiet passages from driving the
 *     activations to 50-100x their usual range, which int8 ranges suffered from. Chosen at training
 *     time ({@code -Dgenre.level=dataset} for the training mean), recorded in train.json; the ONNX
 *     export writes it into the graph.
 */
@JsonPropertyOrder({"mean", "std", "segmentLevel"})
public record Normalization(double mean, double std, boolean segmentLevel) {
    /** Reads {@code -Dgenre.level}: {@code segment} (default) or {@code dataset}. */
    static boolean segmentLevelRequested() {
        String level = System.getProperty("genre.level", "segment");
        if (!level.equals("dataset") && !level.equals("segment")) throw new IllegalArgumentException("-Dgenre.level: dataset or segment, not " + level);
        return level.equals("segment");
    }

    public static Normalization of(SegmentDataset train) {
        boolean perSegment = segmentLevelRequested();
        double sum = 0, sq = 0;
        long n = 0;
        float[] seg = new float[train.nMels() * train.frames()];
        for (int i = 0; i < train.size(); i++) {
            train.copy(i, seg, 0);
            double level = perSegment ? mean(seg, 0, seg.length) : 0;
            for (float v : seg) {
                sum += v - level;
                sq += (v - level) * (v - level);
            }
            n += seg.length;
        }
        double mean = sum / n;
        return new Normalization(perSegment ? 0 : mean, Math.sqrt(Math.max(1e-6, sq / n - mean * mean)), perSegment);
    }

    /** Standardises x[off .. off+n) in place. */
    public void apply(float[] x, int off, int n) {
        float m = (float) (segmentLevel ? mean(x, off, n) : mean), inv = (float) (1 / std);
        for (int j = off; j < off + n; j++) x[j] = (x[j] - m) * inv;
    }

    private static double mean(float[] x, int off, int n) {
        double s = 0;
        for (int j = off; j < off + n; j++) s += x[j];
        return s / n;
    }
}
