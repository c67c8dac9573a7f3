package dev.genre.search.train;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Segment and clip accuracy (a clip's prediction is the mean of its segments' probabilities), each micro (the share of
 * all segments or clips) and macro (the mean over genres of each genre's recall, so a genre with few clips counts as
 * much as a large one), the macro F1 of clips, per-genre precision, recall and F1 at clip level, and the clip
 * confusion matrix [true][predicted]. Macro means skip genres absent from the evaluated data.
 */
@JsonPropertyOrder({"segmentAccuracy", "segmentMacroAccuracy", "clipAccuracy", "clipMacroAccuracy", "clipMacroF1", "segments", "clips",
        "perGenre", "confusion"})
public record Evaluation(double segmentAccuracy, double segmentMacroAccuracy, double clipAccuracy, double clipMacroAccuracy,
                         double clipMacroF1, int segments, int clips, List<GenreScore> perGenre, int[][] confusion) {
    public record GenreScore(String genre, double precision, double recall, double f1, int support) {}

    /** Scores [segment][class] probabilities of every segment of {@code data}, in its order. */
    public static Evaluation of(float[][] probs, dev.genre.dataset.SegmentDataset data, List<String> genres) {
        int n = data.size();
        int[] segLabel = new int[n], clipOf = new int[n], clipLabel = new int[data.clipCount()];
        for (int s = 0; s < n; s++) {
            segLabel[s] = data.label(s);
            clipOf[s] = data.clipOf(s);
        }
        for (int c = 0; c < clipLabel.length; c++) clipLabel[c] = data.clipLabel(c);
        return of(probs, segLabel, clipOf, clipLabel, genres);
    }

    /** @param probs [segment][class] probabilities, @param clipOf clip index per segment */
    static Evaluation of(float[][] probs, int[] segLabel, int[] clipOf, int[] clipLabel, List<String> genres) {
        int classes = genres.size(), clips = clipLabel.length;
        int correct = 0;
        double[][] clipProb = new double[clips][classes];
        int[] count = new int[clips], segOfClass = new int[classes], segCorrectOfClass = new int[classes];
        for (int s = 0; s < probs.length; s++) {
            segOfClass[segLabel[s]]++;
            if (argmax(probs[s]) == segLabel[s]) {
                correct++;
                segCorrectOfClass[segLabel[s]]++;
            }
            for (int c = 0; c < classes; c++) clipProb[clipOf[s]][c] += probs[s][c];
            count[clipOf[s]]++;
        }
        int[][] confusion = new int[classes][classes];
        int clipCorrect = 0, evaluated = 0;
        for (int k = 0; k < clips; k++) {
            if (count[k] == 0) continue;
            evaluated++;
            int pred = argmax(clipProb[k]);
            confusion[clipLabel[k]][pred]++;
            if (pred == clipLabel[k]) clipCorrect++;
        }
        List<GenreScore> scores = new ArrayList<>();
        double recallSum = 0, f1Sum = 0;
        int present = 0;
        for (int c = 0; c < classes; c++) {
            int tp = confusion[c][c], predicted = 0, actual = 0;
            for (int k = 0; k < classes; k++) {
                predicted += confusion[k][c];
                actual += confusion[c][k];
            }
            double p = predicted == 0 ? 0 : (double) tp / predicted, r = actual == 0 ? 0 : (double) tp / actual;
            double f1 = p + r == 0 ? 0 : 2 * p * r / (p + r);
            scores.add(new GenreScore(genres.get(c), p, r, f1, actual));
            if (actual > 0) {
                present++;
                recallSum += r;
                f1Sum += f1;
            }
        }
        return new Evaluation(probs.length == 0 ? 0 : (double) correct / probs.length, balanced(segCorrectOfClass, segOfClass),
                evaluated == 0 ? 0 : (double) clipCorrect / evaluated, present == 0 ? 0 : recallSum / present, present == 0 ? 0 : f1Sum / present,
                probs.length, evaluated, scores, confusion);
    }

    /** The mean over classes present ({@code total[c] > 0}) of {@code correct[c] / total[c]}: balanced accuracy. */
    public static double balanced(int[] correct, int[] total) {
        double sum = 0;
        int present = 0;
        for (int c = 0; c < total.length; c++) {
            if (total[c] == 0) continue;
            sum += (double) correct[c] / total[c];
            present++;
        }
        return present == 0 ? 0 : sum / present;
    }

    public static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }

    public static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
