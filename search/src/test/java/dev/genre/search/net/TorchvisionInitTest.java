package dev.genre.search.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.genre.search.spec.NetworkSpec;
import org.junit.jupiter.api.Test;

/** Every weight of a built MobileNetV3-Small gets torchvision's spread; biases and batch norm stay at (0, 1). */
class TorchvisionInitTest {
    @Test
    void weightsGetTorchvisionsStandardDeviations() throws Exception {
        NetworkSpec spec = NetworkSpec.load("mobilenetv3-small").withInput(1, 128, 128).withClasses(10);
        try (NDManager m = NDManager.newBaseManager()) {
            SpecNetwork net = new SpecNetwork(spec);
            net.initialize(m, DataType.FLOAT32, net.inputShape(2));
            TorchvisionInit.apply(net, m);
            int convs = 0, linears = 0;
            for (Pair<String, Parameter> p : net.getParameters()) {
                NDArray a = p.getValue().getArray();
                Shape s = a.getShape();
                float[] v = a.toFloatArray();
                if (p.getValue().getType() == Parameter.Type.WEIGHT && s.size() >= 500) {
                    double expected = s.dimension() == 4 ? Math.sqrt(2.0 / (s.get(0) * s.get(2) * s.get(3))) : 0.01;
                    double std = std(v);
                    // 500+ draws put the sample deviation within 10% of the true one
                    assertEquals(expected, std, 0.1 * expected, p.getKey() + " " + s);
                    if (s.dimension() == 4) convs++;
                    else linears++;
                } else if (p.getValue().getType() == Parameter.Type.BIAS || p.getValue().getType() == Parameter.Type.BETA) {
                    for (float x : v) assertEquals(0f, x, p.getKey());
                } else if (p.getValue().getType() == Parameter.Type.GAMMA) {
                    for (float x : v) assertEquals(1f, x, p.getKey());
                }
            }
            assertTrue(convs > 30, "convolutions checked: " + convs);
            assertEquals(2, linears, "the head's hidden layer and the classifier");
        }
    }

    private static double std(float[] v) {
        double mean = 0, sq = 0;
        for (float x : v) mean += x;
        mean /= v.length;
        for (float x : v) sq += (x - mean) * (x - mean);
        return Math.sqrt(sq / (v.length - 1));
    }
}
