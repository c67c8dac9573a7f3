package dev.genre.search.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import dev.genre.search.net.TorchScriptKernels;
import java.util.ArrayList;
import java.util.List;

/**
 * libtorch's multi-tensor ("foreach") optimizer kernels, through the TorchScript module
 * {@code optimizers.pt}: each update is one call for all the parameters it updates. The arithmetic
 * is in {@code bench/make_torchscript_kernels.py}; both zero the gradients they consumed.
 */
final class ForeachUpdates {
    private static PtSymbolBlock module;

    private ForeachUpdates() {}

    /** AdamW, per parameter i: w *= keep[i]; moments updated; w += step[i] * mean / (sqrt(var) + eps). */
    static void adamw(List<NDArray> weights, List<NDArray> grads, List<NDArray> mean, List<NDArray> var, float[] keep, float[] step,
            double beta1, double beta2, double eps) {
        try (NDManager scalars = weights.get(0).getManager().newSubManager()) {
            run("adamw", list(weights), list(grads), list(mean), list(var), IValue.from((PtNDArray) scalars.create(keep)),
                    IValue.from((PtNDArray) scalars.create(step)), IValue.from(beta1), IValue.from(beta2), IValue.from(eps));
        }
    }

    /** SGD with momentum, per parameter i: buffer = momentum * buffer + lr * (grad + weightDecay[i] * w); w -= buffer. */
    static void sgd(List<NDArray> weights, List<NDArray> grads, List<NDArray> buffers, float[] weightDecay, double lr, double momentum) {
        try (NDManager scalars = weights.get(0).getManager().newSubManager()) {
            run("sgd", list(weights), list(grads), list(buffers), IValue.from((PtNDArray) scalars.create(weightDecay)), IValue.from(lr),
                    IValue.from(momentum));
        }
    }

    /** Scales {@code grads} so their global L2 norm is at most {@code bound}; returns the norm before (not finite: nothing scaled). */
    static double clipNorm(List<NDArray> grads, double bound) {
        return call("clip_norm", list(grads), IValue.from(bound));
    }

    private static void run(String method, IValue... args) {
        if (call(method, args) < 1) throw new IllegalStateException(method + " updated no parameter");
    }

    private static synchronized double call(String method, IValue... args) {
        if (module == null) module = TorchScriptKernels.load(ForeachUpdates.class, "optimizers.pt");
        TorchScriptKernels.plainExecutor();
        try (IValue result = IValueUtils.runMethod(module, method, args)) {
            return result.isLong() ? result.toLong() : result.toDouble();
        } finally {
            for (IValue a : args) a.close();
        }
    }

    private static IValue list(List<NDArray> arrays) {
        List<PtNDArray> pt = new ArrayList<>(arrays.size());
        for (NDArray a : arrays) pt.add((PtNDArray) a);
        return IValue.listFrom(pt.toArray(new PtNDArray[0]));
    }
}
