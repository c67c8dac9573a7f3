package dev.genre.search.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/**
 * Re-initialises a built network the way torchvision's MobileNetV3 does: convolutions Kaiming
 * normal with fan-out ({@code std = sqrt(2 / (out x kh x kw))}), linear layers N(0, 0.01), biases
 * zero, batch norm (1, 0). DJL's default (Kaiming with fan-in) gives a depthwise kernel
 * {@code std = sqrt(2 / 9)} whatever its width, 4-20x torchvision's; under batch norm a weight's
 * scale does not change the output but divides its effective learning rate by the same factor.
 * Off by default: over two cross-validation seeds it gained nothing (README, Training); {@code
 * -Dgenre.init=torchvision} turns it on for the trainer and the supernet.
 */
public final class TorchvisionInit {
    private TorchvisionInit() {}

    public static void applyIfRequested(Block net, NDManager manager) {
        String init = System.getProperty("genre.init", "djl");
        if (init.equals("torchvision")) apply(net, manager);
        else if (!init.equals("djl")) throw new IllegalArgumentException("-Dgenre.init: torchvision or djl, not " + init);
    }

    public static void apply(Block net, NDManager manager) {
        for (Pair<String, Parameter> p : net.getParameters()) {
            Parameter param = p.getValue();
            if (param.getType() != Parameter.Type.WEIGHT) continue;
            NDArray w = param.getArray();
            Shape s = w.getShape();
            float std;
            if (s.dimension() == 4) {
                std = (float) Math.sqrt(2.0 / (s.get(0) * s.get(2) * s.get(3)));
            } else if (s.dimension() == 2) {
                std = 0.01f;
            } else {
                continue;
            }
            try (NDManager sub = manager.newSubManager()) {
                w.set(sub.randomNormal(0f, std, s, w.getDataType()).toFloatArray());
            }
        }
    }
}
