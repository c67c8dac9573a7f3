package dev.genre.search.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Which accuracy a reward or a comparison reads. Micro: the share of all segments (clips) right, which a collection
 * with 35 blues clips and 12 reggae clips lets the large genres decide. Macro: the mean of the genres' recalls, so a
 * genre the model never predicts costs its full share; the default, since that is the failure a user notices.
 */
public enum AccuracyMetric {
    MACRO, MICRO;

    public static final AccuracyMetric DEFAULT = MACRO;

    /** This metric's value of a pair of scores: the one place that says which is which. */
    public double pick(double micro, double macro) {
        return this == MACRO ? macro : micro;
    }

    public double segment(Evaluation e) {
        return pick(e.segmentAccuracy(), e.segmentMacroAccuracy());
    }

    public double clip(Evaluation e) {
        return pick(e.clipAccuracy(), e.clipMacroAccuracy());
    }

    /** The accuracy of predictions {@code predicted[i]} against {@code label[i]} over {@code classes} classes. */
    public double of(int[] predicted, int[] label, int classes) {
        int[] correct = new int[classes], total = new int[classes];
        int right = 0;
        for (int i = 0; i < label.length; i++) {
            total[label[i]]++;
            if (predicted[i] == label[i]) {
                correct[label[i]]++;
                right++;
            }
        }
        return pick(label.length == 0 ? 0 : (double) right / label.length, Evaluation.balanced(correct, total));
    }

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static AccuracyMetric parse(String s) {
        for (AccuracyMetric m : values()) if (m.label().equals(s)) return m;
        throw new IllegalArgumentException("unknown accuracy metric '" + s + "' (macro or micro)");
    }
}
