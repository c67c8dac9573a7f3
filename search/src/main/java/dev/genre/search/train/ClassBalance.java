package dev.genre.search.train;

import dev.genre.dataset.SegmentDataset;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;

/**
 * How training weighs genres with few clips (a real collection: 35 blues clips, 12 reggae). Sampler: each epoch
 * draws as many segments as the split has, an equal share from every genre (the small ones repeat, the large ones
 * are subsampled). Loss: the epoch visits every segment once, and a segment's target, hence its loss, is scaled by
 * its genre's inverse frequency, normalised so the mean weight of a segment is 1 (the learning rate keeps its meaning).
 */
public enum ClassBalance {
    NONE, SAMPLER, LOSS;

    /** The segments of one epoch, in training order. */
    public int[] epochOrder(SegmentDataset train, int classes, SplittableRandom rng) {
        return epochOrder(train.size(), train::label, classes, rng);
    }

    /** The same for {@code size} segments whose labels {@code labelOf} gives. */
    int[] epochOrder(int size, IntUnaryOperator labelOf, int classes, SplittableRandom rng) {
        if (this != SAMPLER) return Trainer.shuffled(size, rng);
        int[][] byClass = segmentsByClass(size, labelOf, classes);
        int present = 0;
        for (int[] seg : byClass) if (seg.length > 0) present++;
        int[] presentClasses = new int[present];
        for (int c = 0, k = 0; c < classes; c++) if (byClass[c].length > 0) presentClasses[k++] = c;
        int[] order = new int[size];
        int[] slots = Trainer.shuffled(order.length, rng); // slot i gets class i % present: equal shares, in random order
        int[][] cycle = new int[classes][];
        int[] next = new int[classes];
        for (int i = 0; i < order.length; i++) {
            int c = presentClasses[i % present];
            // Each genre's segments in shuffled rounds: a large genre gives a subset without repeats, a small one
            // repeats each segment about equally often, and balanced data gets exactly a shuffle of every genre.
            if (cycle[c] == null || next[c] == cycle[c].length) {
                int[] perm = Trainer.shuffled(byClass[c].length, rng);
                cycle[c] = new int[perm.length];
                for (int k = 0; k < perm.length; k++) cycle[c][k] = byClass[c][perm[k]];
                next[c] = 0;
            }
            order[slots[i]] = cycle[c][next[c]++];
        }
        return order;
    }

    /** Per-class multipliers of the training targets (null: none): {@code N / (present classes x n_c)}. */
    public float[] targetWeights(SegmentDataset train, int classes) {
        return targetWeights(train.size(), train::label, classes);
    }

    float[] targetWeights(int size, IntUnaryOperator labelOf, int classes) {
        if (this != LOSS) return null;
        int[] count = new int[classes];
        for (int s = 0; s < size; s++) count[labelOf.applyAsInt(s)]++;
        int present = 0;
        for (int n : count) if (n > 0) present++;
        float[] w = new float[classes];
        for (int c = 0; c < classes; c++) w[c] = count[c] == 0 ? 0 : (float) (size / ((double) present * count[c]));
        return w;
    }

    static int[][] segmentsByClass(SegmentDataset data, int classes) {
        return segmentsByClass(data.size(), data::label, classes);
    }

    private static int[][] segmentsByClass(int size, IntUnaryOperator labelOf, int classes) {
        int[] count = new int[classes];
        for (int s = 0; s < size; s++) count[labelOf.applyAsInt(s)]++;
        int[][] byLabel = new int[classes][];
        for (int c = 0; c < classes; c++) byLabel[c] = new int[count[c]];
        int[] at = new int[classes];
        for (int s = 0; s < size; s++) {
            int c = labelOf.applyAsInt(s);
            byLabel[c][at[c]++] = s;
        }
        return byLabel;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ClassBalance parse(String s) {
        for (ClassBalance b : values()) if (b.label().equals(s)) return b;
        throw new IllegalArgumentException("unknown class balance '" + s + "' (none, sampler or loss)");
    }
}
