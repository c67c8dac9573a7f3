package dev.genre.search.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Small random specs that together use every op, kernel, SE, skip and activation the spec allows,
 * for tests that check the builder, the counts and the exporters agree on any network.
 */
public final class RandomSpecs {
    private RandomSpecs() {}

    /** Spec number {@code trial}; ops cycle with the trial so any 3 consecutive trials cover all of them. */
    public static NetworkSpec of(int trial, long seed, int[] input, int classes) {
        Random r = new Random(seed * 31 + trial);
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
        return new NetworkSpec(NetworkSpec.FORMAT, "random-" + trial, input, new StemSpec(3, 2, 16, Activation.HSWISH), blocks,
                new HeadSpec(96, trial % 2 == 0 ? 128 : 0, Activation.HSWISH, 0.2), classes);
    }
}
