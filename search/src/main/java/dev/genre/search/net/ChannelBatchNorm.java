package dev.genre.search.net;

import ai.djl.ndarray.NDArray;

/**
 * Batch norm over axis 1 of an NCHW tensor (torch's {@code batch_norm}). DJL's PyTorch engine
 * hands axis -1 straight to torch, which always normalises axis 1, and for any other axis swaps
 * that axis with 1 before and after: for axis 1 two no-op transposes, their two autograd nodes and
 * a sub-manager per call, 34 of them per MobileNetV3-Small step (libtorch's profiler).
 */
public final class ChannelBatchNorm {
    private ChannelBatchNorm() {}

    /** {@code momentum} as DJL counts it: the weight of the old running statistics. */
    public static NDArray apply(NDArray x, NDArray runningMean, NDArray runningVar, NDArray gamma, NDArray beta, float momentum, float eps,
            boolean training) {
        return x.getNDArrayInternal().batchNorm(x, runningMean, runningVar, gamma, beta, -1, momentum, eps, training).singletonOrThrow();
    }
}
