package dev.genre.search.cv;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One fold's test scores: segment accuracy, and clip accuracy from the mean of each clip's segment
 * probabilities, micro and macro (see {@link dev.genre.search.train.Evaluation}), the clips' macro F1 and
 * their confusion matrix [true][predicted] (null in results written before it).
 * {@code seconds} is the fold's wall time (training and testing). Both peers of {@code genre bench cv}
 * report folds in this shape.
 */
@JsonPropertyOrder({"fold", "trainClips", "testClips", "testSegments", "segmentAccuracy", "clipAccuracy", "clipMacroAccuracy", "clipMacroF1",
        "seconds", "confusion"})
public record FoldResult(int fold, int trainClips, int testClips, int testSegments, double segmentAccuracy, double clipAccuracy,
                         double clipMacroAccuracy, double clipMacroF1, double seconds, int[][] confusion) {}
