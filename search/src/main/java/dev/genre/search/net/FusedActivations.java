package dev.genre.search.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;

/**
 * libtorch's fused h-swish and hard-sigmoid (one kernel forward, one backward), which DJL does not
 * expose, run as two one-op TorchScript modules shipped as resources (written by
 * {@code bench/make_torchscript_kernels.py}). DJL's composite (add, clamp, divide, multiply) makes
 * four passes over the tensor forward and more backward, and keeps their intermediates for autograd.
 */
final class FusedActivations {
    private static PtSymbolBlock hardSwish, hardSigmoid;

    private FusedActivations() {}

    static synchronized NDArray hardSwish(NDArray x) {
        if (hardSwish == null) hardSwish = TorchScriptKernels.load(FusedActivations.class, "hardswish.pt");
        return run(hardSwish, x);
    }

    static synchronized NDArray hardSigmoid(NDArray x) {
        if (hardSigmoid == null) hardSigmoid = TorchScriptKernels.load(FusedActivations.class, "hardsigmoid.pt");
        return run(hardSigmoid, x);
    }

    // Always the training path: it leaves libtorch's grad mode as the caller set it (on inside a
    // GradientCollector, off otherwise), where the inference path would switch gradients off.
    private static NDArray run(PtSymbolBlock m, NDArray x) {
        TorchScriptKernels.plainExecutor(); // per call: cheap, and right on whichever thread runs it
        return IValueUtils.forward(m, new NDList(x), true).singletonOrThrow();
    }
}
