package dev.genre.search.train;

import dev.genre.dataset.SegmentDataset;

/** One mean and standard deviation of the training log-mels (dB), applied to every input. */
public record Normalization(double mean, double std) {
    public static Normalization of(SegmentDataset train) {
        double sum = 0, sq = 0;
        long n = 0;
        float[] seg = new float[train.nMels() * train.frames()];
        for (int i = 0; i < train.size(); i++) {
            train.copy(i, seg, 0);
            for (float v : seg) {
                sum += v;
                sq += (double) v * v;
            }
            n += seg.length;
        }
        double mean = sum / n;
        return new Normalization(mean, Math.sqrt(Math.max(1e-6, sq / n - mean * mean)));
    }
}
