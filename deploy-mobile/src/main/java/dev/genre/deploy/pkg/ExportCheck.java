package dev.genre.deploy.pkg;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.onnx.proto.OnnxMl.ModelProto;
import dev.genre.dataset.SegmentDataset;
import dev.genre.deploy.onnx.OnnxModel;
import dev.genre.deploy.onnx.SpecOnnxWriter;
import dev.genre.search.train.TrainedModel;
import java.io.IOException;

/** The exported graph against the DJL network it came from, on the first segments of a split. */
final class ExportCheck {
    private ExportCheck() {}

    /**
     * The largest logit difference, and the largest logit magnitude it is relative to. libtorch's and ONNX Runtime's
     * float kernels sum in different orders (and differ between CPUs), so the same network's logits agree to a few
     * parts in 10^4 of their size, not to an absolute bound: a 1-epoch baseline on GTZAN differed by 0.0011.
     */
    record Difference(double maxAbs, double logitScale) {
        /** A wrong graph (a missing op, a misplaced weight) differs by a good part of the logits themselves. */
        double tolerance() {
            return 2e-3 * Math.max(1, logitScale);
        }

        boolean ok() {
            return maxAbs <= tolerance();
        }
    }

    static Difference maxLogitDifference(TrainedModel tm, ModelProto model, SegmentDataset data, int n, NDManager m) throws IOException {
        if (n == 0) return new Difference(0, 0);
        int per = data.nMels() * data.frames();
        float[] x = new float[n * per], norm = new float[n * per];
        for (int i = 0; i < n; i++) data.copy(i, x, i * per);
        System.arraycopy(x, 0, norm, 0, x.length);
        for (int i = 0; i < n; i++) tm.setup().normalization().apply(norm, i * per, per);
        long[] shape = {n, 1, data.nMels(), data.frames()};
        float[] djl;
        try (NDManager sub = m.newSubManager()) {
            djl = tm.net().predict(new ParameterStore(sub, false), sub.create(norm, new Shape(shape))).toFloatArray();
        }
        float[][] ort;
        try (OnnxModel om = new OnnxModel(model.toByteArray(), 1)) {
            ort = om.run(x, shape, SpecOnnxWriter.LOGITS);
        }
        int k = djl.length / n;
        double worst = 0, scale = 0;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                worst = Math.max(worst, Math.abs(djl[i * k + c] - ort[i][c]));
                scale = Math.max(scale, Math.abs(djl[i * k + c]));
            }
        }
        return new Difference(worst, scale);
    }
}
