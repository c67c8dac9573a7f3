package dev.genre.search.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.genre.search.spec.Activation;
import dev.genre.search.spec.BlockSpec;
import dev.genre.search.spec.Cost;
import dev.genre.search.spec.HeadSpec;
import dev.genre.search.spec.NetworkSpec;
import dev.genre.search.spec.Op;
import dev.genre.search.spec.Skip;
import dev.genre.search.spec.SpecResolver;
import dev.genre.search.spec.StemSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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
        SplittableRandom r = new SplittableRandom(7);
        for (int trial = 0; trial < 12; trial++) {
            List<BlockSpec> blocks = new ArrayList<>();
            int[] widths = {16, 24, 24, 40, 48};
            for (int b = 0; b < widths.length; b++) {
                Op op = Op.values()[(trial + b) % 3];
                int k = r.nextBoolean() ? 3 : 5;
                int stride = b % 2 == 1 ? 2 : 1;
                double se = op == Op.CONV ? 0 : (r.nextBoolean() ? 0.25 : 0);
                Skip skip = Skip.values()[r.nextInt(3)];
                Activation act = Activation.values()[r.nextInt(2)];
                double exp = op == Op.MBCONV ? (r.nextBoolean() ? 3 : 6) : 1;
                blocks.add(new BlockSpec(op, k, stride, widths[b], exp, se, skip, 1 + r.nextInt(2), act));
            }
            NetworkSpec spec = new NetworkSpec(NetworkSpec.FORMAT, "random-" + trial, new int[] {1, 37, 50},
                    new StemSpec(3, 2, 16, Activation.HSWISH), blocks, new HeadSpec(96, trial % 2 == 0 ? 128 : 0, Activation.HSWISH, 0.2), 6);
            assertBuiltMatchesSpec(spec);
        }
    }
}
