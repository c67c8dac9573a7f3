package dev.genre.search.supernet;

/**
 * How the supernet's batch norms normalise. Shared weights have no running statistics that suit
 * every child (each child's channels see different inputs), so training uses batch statistics and
 * a child is evaluated with statistics recalibrated for it on a few training batches (as in SPOS
 * and OFA), never with another child's.
 */
public enum BnMode {
    /** Batch statistics; nothing is kept. */
    TRAIN,
    /** Batch statistics, also averaged into the pass's per-child statistics. */
    CALIBRATE,
    /** The statistics that calibration collected for this child. */
    EVAL
}
