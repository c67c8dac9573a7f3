package dev.genre.search.train;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import dev.genre.search.net.TorchScriptKernels;
import java.util.ArrayList;
import java.util.List;

/**
 * libtorch's multi-tensor ("foreach") optimizer kernels, through the TorchScript module
 * {@code optimizers.pt}: each update is one call for a whole group of parameters. The arithmetic
 * is in {@code bench/make_torchscript_kernels.py}; both zero the gradients they consumed.
 */
final class ForeachUpdates {
    private static PtSymbolBlock module;

    private ForeachUpdates() {}

    /** AdamW: weights *= keep; moments updated; weights += step * mean / (sqrt(var) + eps). */
    static void adamw(List<NDArray> weights, List<NDArray> grads, List<NDArray> mean, List<NDArray> var, double keep, double step,
            double beta1, double beta2, double eps) {
        run("adamw", list(weights), list(grads), list(mean), list(var), IValue.from(keep), IValue.from(step), IValue.from(beta1),
                IValue.from(beta2), IValue.from(eps));
    }

    /** SGD with momentum: buffer = momentum * buffer + lr * (grad + weightDecay * weight); weights -= buffer. */
    static void sgd(List<NDArray> weights, List<NDArray> grads, List<NDArray> buffers, double weightDecay, double lr, double momentum) {
        run("sgd", list(weights), list(grads), list(buffers), IValue.from(weightDecay), IValue.from(lr), IValue.from(momentum));
    }

    private static synchronized void run(String method, IValue... args) {
        if (module == null) module = TorchScriptKernels.load(ForeachUpdates.class, "optimizers.pt");
        TorchScriptKernels.plainExecutor();
        try (IValue result = IValueUtils.runMethod(module, method, args)) {
            if (result.toLong() < 1) throw new IllegalStateException(method + " updated no parameter");
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
