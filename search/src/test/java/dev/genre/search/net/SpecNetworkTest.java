package dev.genre.search.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.genre.search.spec.Cost;
import dev.genre.search.spec.NetworkSpec;
import dev.genre.search.spec.RandomSpecs;
import dev.genre.search.spec.SpecResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The built DJL network (real libtorch) has the parameters and does the MACs the spec counts. */
class SpecNetworkTest {
    static void assertBuiltMatchesSpec(NetworkSpec spec) {
        try (NDManager m = NDManager.newBaseManager()) {
            SpecNetwork net = new SpecNetwork(spec);
            net.initialize(m, DataType.FLOAT32, net.inputShape(2));
            Cost cost = Cost.total(SpecResolver.resolve(spec));
            assertEquals(cost.params(), net.parameterCount(), spec.name() + " parameters");
            assertEquals(cost.macs(), net.macCount(), spec.name() + " MACs");
            NDArray x = m.randomNormal(net.inputShape(2));
            NDArray y = net.predict(new ParameterStore(m, false), x);
            assertEquals(new Shape(2, spec.classes()), y.getShape(), spec.name());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mobilenetv3-small", "mobilenetv3-large", "mnasnet-b1"})
    void referenceNetworksMatchTheirCounts(String name) throws Exception {
        assertBuiltMatchesSpec(NetworkSpec.load(name));
    }

    @Test
    void everyOpKernelSeSkipAndActivationBuilds() {
        for (int trial = 0; trial < 12; trial++) {
            NetworkSpec spec = RandomSpecs.of(trial, 7, new int[] {1, 37, 50}, 6);
            assertBuiltMatchesSpec(spec);
        }
    }

    @Test
    void dropPathSkipsWholeResidualBranchesPerSampleInTrainingOnly() throws Exception {
        // MobileNetV3-Small's first identity-shortcut row, on a spectrogram-sized input.
        NetworkSpec spec = NetworkSpec.load("mobilenetv3-small").withInput(1, 64, 64).withClasses(10);
        dev.genre.search.spec.Layer row = SpecResolver.resolve(spec).stream()
                .filter(r -> r.shortcut() == dev.genre.search.spec.Layer.Shortcut.IDENTITY).findFirst().orElseThrow();
        int n = 32;
        try (NDManager m = NDManager.newBaseManager()) {
            ai.djl.engine.Engine.getInstance().setRandomSeed(3);
            LayerBlock b = new LayerBlock(row);
            Shape in = new Shape(n, row.in(), row.outH(), row.outW());
            b.initialize(m, DataType.FLOAT32, in);
            NDArray x = m.randomNormal(in);
            ParameterStore ps = new ParameterStore(m, false);
            // Batch norm uses the batch's statistics in training, so the branch is the same in both training passes.
            float[] kept = b.forward(ps, new ai.djl.ndarray.NDList(x), true).singletonOrThrow().sub(x).toFloatArray();
            b.dropPath(0.5);
            float[] dropped = b.forward(ps, new ai.djl.ndarray.NDList(x), true).singletonOrThrow().sub(x).toFloatArray();
            int per = kept.length / n, skipped = 0;
            for (int i = 0; i < n; i++) {
                boolean zero = true, doubled = true;
                for (int k = i * per; k < (i + 1) * per; k++) {
                    zero &= dropped[k] == 0;
                    doubled &= Math.abs(dropped[k] - 2 * kept[k]) <= 1e-4 * (1 + Math.abs(kept[k]));
                }
                org.junit.jupiter.api.Assertions.assertTrue(zero ^ doubled, "sample " + i + ": the branch is skipped, or kept at 1 / (1 - p)");
                if (zero) skipped++;
            }
            org.junit.jupiter.api.Assertions.assertTrue(skipped > 4 && skipped < n - 4, skipped + " of " + n + " samples skipped at p = 0.5");
            // Inference always keeps the branch, unscaled: the same as without drop path (same running statistics).
            float[] inference = b.forward(ps, new ai.djl.ndarray.NDList(x), false).singletonOrThrow().toFloatArray();
            b.dropPath(0);
            org.junit.jupiter.api.Assertions.assertArrayEquals(b.forward(ps, new ai.djl.ndarray.NDList(x), false).singletonOrThrow().toFloatArray(), inference);
        }
        // Only identity shortcuts can skip their branch.
        dev.genre.search.spec.Layer plain = SpecResolver.resolve(spec).stream()
                .filter(r -> r.shortcut() == dev.genre.search.spec.Layer.Shortcut.NONE && r.kind() == dev.genre.search.spec.Layer.Kind.MBCONV).findFirst().orElseThrow();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new LayerBlock(plain).dropPath(0.2));
    }
}
