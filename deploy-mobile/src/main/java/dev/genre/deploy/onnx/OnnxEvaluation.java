package dev.genre.deploy.onnx;

import dev.genre.dataset.SegmentDataset;
import dev.genre.search.train.Evaluation;
import java.io.IOException;
import java.util.List;

/** An ONNX model scored on a dataset split exactly as the trainer scores its DJL model (same metrics code). */
public record OnnxEvaluation(Evaluation evaluation, float[][] probabilities) {
    public static OnnxEvaluation of(OnnxModel model, SegmentDataset data, List<String> genres) throws IOException {
        int n = data.size(), per = data.nMels() * data.frames(), batch = 64;
        float[][] probs = new float[n][];
        float[] x = new float[batch * per];
        for (int from = 0; from < n; from += batch) {
            int count = Math.min(batch, n - from);
            for (int i = 0; i < count; i++) data.copy(from + i, x, i * per);
            float[] in = count == batch ? x : java.util.Arrays.copyOf(x, count * per);
            float[][] p = model.run(in, new long[] {count, 1, data.nMels(), data.frames()}, SpecOnnxWriter.PROBABILITIES);
            System.arraycopy(p, 0, probs, from, count);
        }
        return new OnnxEvaluation(Evaluation.of(probs, data, genres), probs);
    }

    /** Fraction of segments whose top-1 class is the same in both. */
    public static double agreement(float[][] a, float[][] b) {
        int same = 0;
        for (int i = 0; i < a.length; i++) if (Evaluation.argmax(a[i]) == Evaluation.argmax(b[i])) same++;
        return a.length == 0 ? 1 : (double) same / a.length;
    }
}
