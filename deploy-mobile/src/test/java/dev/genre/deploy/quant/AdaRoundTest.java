package dev.genre.deploy.quant;

import static dev.genre.deploy.quant.QdqQuantizerTest.C_IN;
import static dev.genre.deploy.quant.QdqQuantizerTest.H;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.genre.run.Progress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Adaptive rounding on a real conv layer run by libtorch (the optimisation) and ONNX Runtime (the int8 model). */
class AdaRoundTest {
    private static final AdaRound.Options FAST = new AdaRound.Options(200, 8, 0.01, 1e-2, 0);

    @Test
    void roundsEachWeightDownOrUpAndLowersTheLayersErrorOnUnseenInputs() throws Exception {
        ModelProto model = QdqQuantizerTest.convModel(false, 11);
        float[] calibration = QdqQuantizerTest.inputs(12), unseen = QdqQuantizerTest.inputs(13);
        AdaRound.Result r = AdaRound.levels(model, List.of(calibration), new long[] {C_IN, H, H}, Set.of(), FAST, Progress.none());

        TensorProto wt = model.getGraph().getInitializerList().stream().filter(t -> t.getName().equals("conv.weight")).findFirst().orElseThrow();
        float[] w = QdqQuantizer.floats(wt);
        float[] scales = QdqQuantizer.channelScales(w, QdqQuantizerTest.C_OUT);
        byte[] q = r.levels().get("conv.weight");
        assertEquals(w.length, q.length);
        int per = w.length / scales.length, changed = 0;
        for (int i = 0; i < w.length; i++) {
            double v = w[i] / scales[i / per];
            assertTrue(q[i] == Math.floor(v) || q[i] == Math.floor(v) + 1, "weight " + i + ": level " + q[i] + " for " + v);
            if (q[i] != QdqQuantizer.weightLevel(w[i], scales[i / per])) changed++;
        }
        assertTrue(changed > 0 && changed < w.length / 2, changed + " of " + w.length + " weights rounded the other way");

        AdaRound.Layer layer = r.layers().get(0);
        assertTrue(layer.adaptiveError() < 0.7 * layer.nearestError(), "calibration output error " + layer.nearestError() + " -> " + layer.adaptiveError());
        // Weights alone int8, no bias correction: the only difference between the two models is the rounding.
        float[][] f = QdqQuantizerTest.run(model, unseen);
        double nearest = mse(QdqQuantizerTest.run(QdqQuantizer.quantize(model, Map.of(), Set.of(), WeightRounding.nearest(Map.of())), unseen), f);
        double adaptive = mse(QdqQuantizerTest.run(QdqQuantizer.quantize(model, Map.of(), Set.of(), new WeightRounding(r.levels(), Map.of())), unseen), f);
        assertTrue(adaptive < 0.8 * nearest, "output error on unseen inputs, nearest " + nearest + " adaptive " + adaptive);

        AdaRound.Result again = AdaRound.levels(model, List.of(calibration), new long[] {C_IN, H, H}, Set.of(), FAST, Progress.none());
        assertArrayEquals(q, again.levels().get("conv.weight"), "seeded: the same levels");
        assertTrue(AdaRound.levels(model, List.of(calibration), new long[] {C_IN, H, H}, Set.of("conv"), FAST, Progress.none()).levels().isEmpty(),
                "a skipped layer keeps nearest rounding");
    }

    private static double mse(float[][] a, float[][] b) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < a.length; i++) for (int c = 0; c < a[i].length; c++, n++) s += (a[i][c] - b[i][c]) * (a[i][c] - b[i][c]);
        return s / n;
    }
}
