package dev.genre.search.cv;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Mean and standard deviation over folds of the test accuracies, and the summed fold wall time. */
@JsonPropertyOrder({"clipAccuracy", "clipMacroAccuracy", "clipMacroF1", "segmentAccuracy", "seconds"})
public record CvSummary(MeanStd clipAccuracy, MeanStd clipMacroAccuracy, MeanStd clipMacroF1, MeanStd segmentAccuracy, double seconds) {
    /** The sample standard deviation (n - 1): folds are a sample of the splits the data allows. */
    public record MeanStd(double mean, double std) {
        public static MeanStd of(double[] v) {
            double mean = 0, sq = 0;
            for (double x : v) mean += x / v.length;
            for (double x : v) sq += (x - mean) * (x - mean);
            return new MeanStd(mean, v.length > 1 ? Math.sqrt(sq / (v.length - 1)) : 0);
        }

        @Override
        public String toString() {
            return String.format("%.3f ± %.3f", mean, std);
        }
    }

    public static CvSummary of(List<FoldResult> folds) {
        return new CvSummary(meanStd(folds, FoldResult::clipAccuracy), meanStd(folds, FoldResult::clipMacroAccuracy),
                meanStd(folds, FoldResult::clipMacroF1), meanStd(folds, FoldResult::segmentAccuracy),
                folds.stream().mapToDouble(FoldResult::seconds).sum());
    }

    private static MeanStd meanStd(List<FoldResult> folds, ToDoubleFunction<FoldResult> value) {
        return MeanStd.of(folds.stream().mapToDouble(value).toArray());
    }
}
