package dev.genre.search.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * Sharpness-aware minimisation (Foret et al. 2021): the step's gradient is taken not at the
 * weights w but at w + rho g / |g|, the worst nearby point to first order, so the optimizer prefers
 * minima whose whole neighbourhood has a low loss. On 80 training clips a network fits its training
 * set within a few epochs; flat minima are the usual remedy for small data.
 */
final class SharpnessAware {
    private SharpnessAware() {}

    /**
     * Moves the trained parameters by {@code rho} along their normalised gradient and zeroes the
     * gradients, so a second backward pass collects the gradient at the moved point. Batch-norm
     * running statistics are copied and put back on close, so the second forward pass leaves them as
     * the first left them. Closing the returned handle moves the weights back; its arrays live on
     * {@code step}, the step's manager.
     *
     * @return the handle, or null when the gradient is zero or not finite (nothing moved)
     */
    static Ascent ascend(List<Parameter> trained, List<Parameter> runningStats, double rho, NDManager step) {
        List<NDArray> grads = new ArrayList<>(trained.size());
        for (Parameter p : trained) grads.add(p.getArray().getGradient());
        try {
            double norm = ForeachUpdates.clipNorm(grads, Double.POSITIVE_INFINITY);
            if (!(norm > 0 && Double.isFinite(norm))) return null;
            float scale = (float) (rho / (norm + 1e-12));
            List<NDArray> moves = new ArrayList<>(trained.size());
            for (int i = 0; i < trained.size(); i++) {
                NDArray g = grads.get(i);
                NDArray move = ParameterSnapshot.copyOf(g, step).muli(scale);
                trained.get(i).getArray().addi(move);
                g.muli(0); // finite (checked above): the second backward pass accumulates into a clean gradient
                moves.add(move);
            }
            ParameterSnapshot stats = ParameterSnapshot.take(runningStats, step);
            return () -> {
                for (int i = 0; i < trained.size(); i++) trained.get(i).getArray().subi(moves.get(i));
                stats.restore();
            };
        } finally {
            grads.forEach(NDArray::close);
        }
    }

    /** Puts the weights and batch-norm statistics back where the first pass found them. */
    interface Ascent extends AutoCloseable {
        @Override
        void close();
    }
}
