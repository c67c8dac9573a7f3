package dev.genre.search.nas;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.genre.dataset.SegmentDataset;
import dev.genre.search.space.ArchChoice;
import dev.genre.search.supernet.BnMode;
import dev.genre.search.supernet.ChildPass;
import dev.genre.search.supernet.Supernet;
import dev.genre.search.train.AccuracyMetric;
import dev.genre.search.train.Batches;
import dev.genre.search.train.Evaluation;
import dev.genre.search.train.Normalization;
import dev.genre.search.train.StagingBuffer;
import dev.genre.search.train.TrainConfig;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Scores a child with the shared weights: batch norm is first recalibrated for the child on a
 * fixed sample of training segments (the same for every child, so children compare fairly), then
 * the child classifies validation segments.
 */
final class ChildEvaluator {
    /** Segments per batch-norm recalibration batch, whatever the validation batch: enough for the statistics, no more. */
    static final int CALIBRATION_BATCH = 64;
    private final Supernet net;
    private final NDManager manager;
    private final SegmentDataset valid;
    private final Batches trainBatches, validBatches;
    private final int[] calibration;
    private final int batch, calibrationBatches;
    private final List<String> genres;
    private final StagingBuffer staging = new StagingBuffer();

    ChildEvaluator(Supernet net, NDManager manager, SegmentDataset train, SegmentDataset valid, Normalization norm, TrainConfig cfg,
                   int batch, int calibrationBatches, List<String> genres, long seed) {
        this.net = net;
        this.manager = manager;
        this.valid = valid;
        this.batch = batch;
        this.calibrationBatches = calibrationBatches;
        this.genres = genres;
        this.trainBatches = new Batches(train, cfg, norm, genres.size());
        this.validBatches = new Batches(valid, cfg, norm, genres.size());
        int[] order = dev.genre.search.train.Trainer.shuffled(train.size(), new SplittableRandom(seed ^ 0x5eedL));
        this.calibration = Arrays.copyOf(order, Math.min(order.length, CALIBRATION_BATCH * calibrationBatches));
    }

    int validSize() {
        return valid.size();
    }

    /** Segment accuracy ({@code metric}) of {@code child} on validation segments {@code segments[from .. from+n)}. */
    double accuracy(ArchChoice child, int[] segments, int from, int n, AccuracyMetric metric) {
        float[][] p = probabilities(child, segments, from, n);
        int[] predicted = new int[n], label = new int[n];
        for (int i = 0; i < n; i++) {
            predicted[i] = Evaluation.argmax(p[i]);
            label[i] = valid.label(segments[from + i]);
        }
        return metric.of(predicted, label, genres.size());
    }

    /** Segment and clip accuracy of {@code child} on the whole validation split. */
    Evaluation evaluate(ArchChoice child) {
        int[] all = new int[valid.size()];
        for (int i = 0; i < all.length; i++) all[i] = i;
        return Evaluation.of(probabilities(child, all, 0, all.length), valid, genres);
    }

    private float[][] probabilities(ArchChoice child, int[] segments, int from, int n) {
        int per = trainBatches.perSegment, classes = genres.size();
        float[] x = new float[Math.max(batch, CALIBRATION_BATCH) * per];
        float[][] out = new float[n][];
        try (NDManager stats = manager.newSubManager()) {
            ChildPass pass = new ChildPass(child, BnMode.CALIBRATE, stats);
            for (int b = 0; b < calibrationBatches && b * CALIBRATION_BATCH < calibration.length; b++) {
                int count = Math.min(CALIBRATION_BATCH, calibration.length - b * CALIBRATION_BATCH);
                trainBatches.evalAt(calibration, b * CALIBRATION_BATCH, count, x);
                try (NDManager sub = manager.newSubManager()) {
                    net.forward(pass, input(sub, x, count), false);
                }
                pass.calibrated();
            }
            pass.mode(BnMode.EVAL);
            for (int at = 0; at < n; at += batch) {
                int count = Math.min(batch, n - at);
                validBatches.evalAt(segments, from + at, count, x);
                try (NDManager sub = manager.newSubManager()) {
                    float[] p = net.forward(pass, input(sub, x, count), false).softmax(1).toFloatArray();
                    for (int i = 0; i < count; i++) out[at + i] = Arrays.copyOfRange(p, i * classes, (i + 1) * classes);
                }
            }
        }
        return out;
    }

    private NDArray input(NDManager sub, float[] x, int count) {
        return staging.wrap(sub, x, net.inputShape(count));
    }
}
