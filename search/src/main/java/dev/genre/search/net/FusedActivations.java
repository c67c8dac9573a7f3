package dev.genre.search.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * libtorch's fused h-swish and hard-sigmoid (one kernel forward, one backward), which DJL does not
 * expose, run as two one-op TorchScript modules shipped as resources (written by
 * {@code bench/make_fused_activations.py}). DJL's composite (add, clamp, divide, multiply) makes
 * four passes over the tensor forward and more backward, and keeps their intermediates for autograd.
 */
final class FusedActivations {
    private static final NDManager MODULES = NDManager.newBaseManager(); // lives as long as the JVM
    private static PtSymbolBlock hardSwish, hardSigmoid;

    private FusedActivations() {}

    static synchronized NDArray hardSwish(NDArray x) {
        if (hardSwish == null) hardSwish = load("hardswish.pt");
        return run(hardSwish, x);
    }

    static synchronized NDArray hardSigmoid(NDArray x) {
        if (hardSigmoid == null) hardSigmoid = load("hardsigmoid.pt");
        return run(hardSigmoid, x);
    }

    // Always the training path: it leaves libtorch's grad mode as the caller set it (on inside a
    // GradientCollector, off otherwise), where the inference path would switch gradients off.
    // The profiling executor would specialise the one-op graph to every layer's shape; the plain one runs it as is.
    private static NDArray run(PtSymbolBlock m, NDArray x) {
        JniUtils.setGraphExecutorOptimize(false); // per call: cheap, and right on whichever thread runs it
        return IValueUtils.forward(m, new NDList(x), true).singletonOrThrow();
    }

    private static PtSymbolBlock load(String resource) {
        try (InputStream in = FusedActivations.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing resource " + resource);
            return JniUtils.loadModule((PtNDManager) MODULES, in, false, false);
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
    }
}
