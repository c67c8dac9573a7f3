package dev.genre.deploy.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl.ModelProto;
import dev.genre.deploy.TestData;
import dev.genre.deploy.onnx.OnnxModel;
import dev.genre.deploy.onnx.SpecOnnxWriter;
import dev.genre.search.net.FoldedWeights;
import dev.genre.search.net.Int8Simulation;
import dev.genre.search.net.SpecNetwork;
import dev.genre.search.spec.NetworkSpec;
import dev.genre.search.spec.RandomSpecs;
import dev.genre.search.train.TrainConfig;
import dev.genre.search.train.TrainingStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The DJL network under int8 simulation computes what the quantizer's QDQ graph computes, for
 * MobileNetV3-Small and random specs covering every op, kernel, SE, skip and activation: it rounds
 * exactly the tensors the quantizer quantizes (by their ONNX names), its int8 weights are the
 * quantizer's, and each activation's rounding, taken alone, is the QDQ graph's at the same place.
 *
 * <p>All tensors at once cannot match to the last bit: a value a float ulp from a rounding boundary
 * lands on either side depending on summation order, and the flip propagates (ONNX Runtime's own int8
 * kernels differ from its node-by-node QDQ reference by about as much). So the whole network is
 * checked for the right set of rounded tensors and for int8's amount of noise.
 */
class Int8SimulationTest {
    static final int N = 6, FRAMES = 128;
    static final double MEAN = -38.5, STD = 17.25;

    @Test
    void simulationMatchesTheQuantizedOnnxModel() throws Exception {
        float[] segments = TestData.segments(N, FRAMES);
        List<NetworkSpec> specs = new ArrayList<>();
        specs.add(NetworkSpec.load("mobilenetv3-small").withInput(1, 128, FRAMES).withClasses(10));
        for (int t = 0; t < 6; t++) specs.add(RandomSpecs.of(t, 3, new int[] {1, 64, 64}, 8)); // small maps: ~40 ORT sessions each
        for (NetworkSpec spec : specs) {
            try (NDManager m = NDManager.newBaseManager()) {
                long[] shape = {N, 1, spec.input()[1], spec.input()[2]};
                float[] x = TestData.crop(segments, N, 128, FRAMES, spec.input()[1], spec.input()[2]);
                SpecNetwork net = TestData.perturbed(spec, m, 7, x, MEAN, STD);
                ModelProto model = SpecOnnxWriter.write(spec, FoldedWeights.of(net), MEAN, STD, Map.of());
                Calibration cal = Calibration.run(model, QdqQuantizer.tensorsToCalibrate(model), List.of(x), new long[] {1, shape[2], shape[3]});
                Map<String, float[]> ranges = cal.ranges(Calibration.Method.MINMAX);
                float[][] floatLogits;
                try (OnnxModel f = new OnnxModel(model.toByteArray(), 1)) {
                    floatLogits = f.run(x, shape, SpecOnnxWriter.LOGITS);
                }

                // Weights alone: folding and per-channel rounding as the quantizer's, to float precision.
                float[][] weightsOnly = qdqReference(model, Map.of(), x, shape);
                double weightError = maxDiff(simulated(net, m, Map.of(), x, shape), weightsOnly);
                assertTrue(maxDiff(weightsOnly, floatLogits) > 1e-4, spec.name() + ": int8 weights should move the logits at all");
                assertTrue(weightError < 1e-4, spec.name() + ": simulated int8 weights differ from the quantizer's by " + weightError);

                // Each activation tensor alone: rounded at the same place, with the same grid. A wrong place
                // or grid gives independent noise (an error as large as the effect); the same rounding
                // differs only where a float ulp flips a value across a boundary (a few percent, more late
                // in the network, where one flipped element reaches the logits through few weights).
                List<Double> shares = new ArrayList<>();
                boolean eachAlone = !spec.name().startsWith("mobilenetv3"); // the random specs cover its layers, at a quarter of the cost
                for (String t : eachAlone ? ranges.keySet() : Set.<String>of()) {
                    float[][] ref = qdqReference(model, Map.of(t, ranges.get(t)), x, shape);
                    double effect = maxDiff(ref, weightsOnly);
                    if (effect < 1e-4) continue; // e.g. the flatten after the pool: same values, same grid
                    double error = maxDiff(simulated(net, m, Map.of(t, ranges.get(t)), x, shape), ref);
                    assertTrue(error < 0.5 * effect + 2 * weightError + 1e-5,
                            spec.name() + ": " + t + " rounds elsewhere or otherwise: error " + error + " for an effect of " + effect);
                    shares.add(error / effect);
                }
                int checked = shares.size();
                double worstShare = 0, medianShare = 0;
                if (eachAlone) {
                    assertTrue(checked > ranges.size() / 2, spec.name() + ": too few tensors with a measurable effect: " + checked);
                    java.util.Collections.sort(shares);
                    worstShare = shares.get(checked - 1);
                    medianShare = shares.get(checked / 2);
                    assertTrue(medianShare < 0.1, spec.name() + ": median error " + medianShare + " of a tensor's effect");
                }

                // Everything: the right set of tensors, and int8's amount of noise. Whole networks cannot
                // match element for element (a float ulp flips a rounding and the flip propagates: ONNX
                // Runtime's int8 kernels and its node-by-node QDQ reference differ as much), so the
                // simulation's deviation from float is compared with the int8 model's, in size.
                Int8Simulation sim = new Int8Simulation(ranges);
                float[][] all = simulated(net, m, sim, x, shape);
                assertEquals(ranges.keySet(), sim.used(), spec.name() + ": the simulation rounds exactly the quantizer's tensors");
                float[][] int8;
                try (OnnxModel q = new OnnxModel(QdqQuantizer.quantize(model, ranges, Set.of()).toByteArray(), 1)) {
                    int8 = q.run(x, shape, SpecOnnxWriter.LOGITS);
                }
                double noise = rms(all, floatLogits) / rms(int8, floatLogits);
                System.out.printf("%-20s %3d tensors (%3d checked alone, error/effect median %.3f, worst %.3f)  rms |int8 - float| %.4f"
                        + "  rms |simulated - float| / that %.2f  max |int8 - simulated| %.4f%n", spec.name(), ranges.size(), checked, medianShare,
                        worstShare, rms(int8, floatLogits), noise, maxDiff(int8, all));
                assertTrue(noise > 0.6 && noise < 1.6, spec.name() + ": the simulation's noise is " + noise + " of int8's");
                assertTrue(maxDiff(simulated(net, m, (Int8Simulation) null, x, shape), floatLogits) < 1e-4,
                        spec.name() + ": switching the simulation off restores float");
            }
        }
    }

    @Test
    void simulatedTrainingStepsLeaveNothingOnTheNetworksManager() throws Exception {
        NetworkSpec spec = NetworkSpec.load("mobilenetv3-small").withInput(1, 128, FRAMES).withClasses(10);
        int batch = 4;
        float[] x = TestData.crop(TestData.segments(batch, FRAMES), batch, 128, FRAMES, 128, FRAMES);
        try (NDManager m = NDManager.newBaseManager()) {
            SpecNetwork net = TestData.perturbed(spec, m, 3, x, MEAN, STD);
            ModelProto model = SpecOnnxWriter.write(spec, FoldedWeights.of(net), MEAN, STD, Map.of());
            Map<String, float[]> ranges = Calibration.run(model, QdqQuantizer.tensorsToCalibrate(model), List.of(x), new long[] {1, 128, FRAMES})
                    .ranges(Calibration.Method.MINMAX);
            float[] t = new float[batch * 10];
            for (int i = 0; i < batch; i++) t[i * 10 + i] = 1;
            net.simulateInt8(new Int8Simulation(ranges));
            dev.genre.search.train.Checkpoint.collectGradients(net);
            TrainingStep step = new TrainingStep(net, TrainConfig.defaults().with(1, batch, 1e-4, 0), m);
            for (int i = 0; i < batch * FRAMES * 128; i++) x[i] = (float) ((x[i] - MEAN) / STD);
            assertTrue(step.run(x, t, 1e-4) != null, "a finite first step"); // the optimizer's moments appear here
            int after1 = ((BaseNDManager) m).getManagedArrays().size();
            for (int k = 0; k < 3; k++) step.run(x, t, 1e-4);
            // Before the fix every step left ~1,200 arrays (the folded, rounded weights and their graph) on m.
            assertEquals(after1, ((BaseNDManager) m).getManagedArrays().size(), "arrays left on the network's manager by 3 more steps");
        }
    }

    static float[][] simulated(SpecNetwork net, NDManager m, Map<String, float[]> ranges, float[] x, long[] shape) {
        return simulated(net, m, new Int8Simulation(ranges), x, shape);
    }

    static float[][] simulated(SpecNetwork net, NDManager m, Int8Simulation sim, float[] x, long[] shape) {
        net.simulateInt8(sim);
        try {
            return TestData.djlLogits(net, m, x, shape, MEAN, STD);
        } finally {
            net.simulateInt8(null);
        }
    }

    /** The QDQ graph run node by node (Q/DQ as float rounding, no int8 kernels). */
    static float[][] qdqReference(ModelProto model, Map<String, float[]> ranges, float[] x, long[] shape) throws Exception {
        try (OnnxModel r = OnnxModel.unoptimized(QdqQuantizer.quantize(model, ranges, Set.of()).toByteArray())) {
            return r.run(x, shape, SpecOnnxWriter.LOGITS);
        }
    }

    static double rms(float[][] a, float[][] b) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < a.length; i++) for (int k = 0; k < a[i].length; k++, n++) s += (a[i][k] - b[i][k]) * (a[i][k] - b[i][k]);
        return Math.sqrt(s / n);
    }

    static double maxDiff(float[][] a, float[][] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) for (int k = 0; k < a[i].length; k++) worst = Math.max(worst, Math.abs(a[i][k] - b[i][k]));
        return worst;
    }
}
