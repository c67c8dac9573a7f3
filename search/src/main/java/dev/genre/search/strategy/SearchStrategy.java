package dev.genre.search.strategy;

import dev.genre.search.space.ArchChoice;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * How a search picks children, behind one interface so ENAS, random search and regularized
 * evolution run on the same supernet, reward and budget. The search loop alternates as ENAS does:
 * a pass of shared-weight training on children from {@link #sampleForTraining}, then steps that
 * score children from {@link #propose} on validation minibatches and report the reward through
 * {@link #observe}, then {@link #endRound}. All randomness comes from the loop's {@code rng}, so a resumed run that
 * restores the strategy's state continues exactly.
 */
public interface SearchStrategy extends AutoCloseable {
    /** {@code enas}, {@code random} or {@code evolution}. */
    String name();

    /** A child to train the shared weights on for one minibatch. */
    ArchChoice sampleForTraining(SplittableRandom rng);

    /** The next child to score on validation. */
    ArchChoice propose(SplittableRandom rng);

    /** The reward of a child returned by {@link #propose}; evolution adds it to its population at once, ENAS learns from it at {@link #endRound}. */
    void observe(ArchChoice child, double reward);

    /**
     * Ends a round: every child observed since the last call was scored on the same validation minibatch, so their
     * rewards are comparable with each other (and not with another round's). ENAS takes its step here.
     */
    default void endRound() {}

    /** The controller's mean per-decision entropy in nats (progress display); NaN when the strategy has none. */
    double entropy();

    /** Writes the strategy's state (weights, optimizer, baseline, population...) into {@code dir}, atomically per file. */
    void save(Path dir) throws IOException;

    /** Restores what {@link #save} wrote. */
    void load(Path dir) throws IOException;

    @Override
    default void close() {}
}
