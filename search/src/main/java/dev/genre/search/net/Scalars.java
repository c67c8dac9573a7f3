package dev.genre.search.net;

import ai.djl.ndarray.NDArray;

/**
 * Scalar operands for operations that autograd differentiates. DJL's {@code mul}, {@code div},
 * {@code pow}, {@code maximum}, {@code minimum} and {@code mod} with a {@code Number} wrap the number in a tensor over a direct buffer, run the op, and close the
 * wrapper at once; autograd keeps that tensor for the backward pass (d(x*s)/dx = s), but its memory
 * now belongs to an unreachable buffer that the next garbage collection frees. A collection between
 * forward and backward then fed freed memory into the gradients: training runs diverged to NaN or
 * merely differed from run to run (TrainingStepTest). A tensor made here lives on {@code like}'s
 * manager until that closes, after the backward pass. ({@code add}/{@code sub} with a number are
 * safe: their backward keeps no operand; {@code clip} leaves its bounds on x's manager.)
 */
public final class Scalars {
    private Scalars() {}

    /** {@code value} as a float32 scalar on the manager of {@code like}. */
    public static NDArray like(NDArray like, float value) {
        return like.getManager().create(value);
    }
}
