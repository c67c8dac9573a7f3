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

    static double maxLogitDifference(TrainedModel tm, ModelProto model, SegmentDataset data, int n, NDManager m) throws IOException {
        if (n == 0) return 0;
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
        double worst = 0;
        for (int i = 0; i < n; i++) for (int c = 0; c < k; c++) worst = Math.max(worst, Math.abs(djl[i * k + c] - ort[i][c]));
        return worst;
    }
}
