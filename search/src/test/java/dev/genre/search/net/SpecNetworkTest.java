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
}
