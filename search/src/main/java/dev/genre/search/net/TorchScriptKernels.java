package dev.genre.search.net;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * TorchScript modules shipped as resources (written by {@code bench/make_torchscript_kernels.py}),
 * the way to libtorch kernels DJL does not expose: fused activations, multi-tensor optimizer updates.
 */
public final class TorchScriptKernels {
    private static final NDManager MODULES = NDManager.newBaseManager(); // lives as long as the JVM

    private TorchScriptKernels() {}

    /** Loads {@code resource} next to {@code owner}'s class file. */
    public static PtSymbolBlock load(Class<?> owner, String resource) {
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing resource " + resource + " of " + owner.getName());
            return JniUtils.loadModule((PtNDManager) MODULES, in, false, false);
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
    }

    /**
     * Call before running a module, on the calling thread (the setting is per thread): the profiling
     * executor would specialise these small graphs to every shape they see; the plain one runs them as written.
     */
    public static void plainExecutor() {
        JniUtils.setGraphExecutorOptimize(false);
    }
}
