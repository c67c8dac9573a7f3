package dev.genre.search.strategy;

import dev.genre.io.Json;
import dev.genre.search.space.ArchChoice;
import dev.genre.search.space.SearchSpace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Regularized ("aging") evolution, Real et al. 2019: until the population is full, proposals are
 * uniform; then a proposal is the best of a tournament of uniform picks from the population,
 * with one decision changed to another option. Every scored child joins the population and the
 * oldest leaves, whatever its reward, so a lucky early score cannot rule forever.
 *
 * <p>The shared weights train on uniform children, exactly as in {@link RandomStrategy}, so
 * a comparison of the two isolates the proposal rule; training on the population would also
 * narrow the supernet towards it, which favours evolution's own picks when they are scored.
 */
public final class EvolutionStrategy implements SearchStrategy {
    static final String STATE = "evolution.json";

    /** A scored child. */
    public record Member(ArchChoice child, double reward) {}

    /** The population, oldest first. */
    record State(List<Member> population) {}

    private final SearchSpace space;
    private final EvolutionConfig cfg;
    private final int[] sizes;
    private final Deque<Member> population = new ArrayDeque<>();

    public EvolutionStrategy(SearchSpace space, EvolutionConfig cfg) {
        this.space = space;
        this.cfg = cfg;
        this.sizes = space.decisionSizes();
    }

    @Override
    public String name() {
        return "evolution";
    }

    @Override
    public ArchChoice sampleForTraining(SplittableRandom rng) {
        return space.random(rng);
    }

    @Override
    public ArchChoice propose(SplittableRandom rng) {
        if (population.size() < cfg.population()) return space.random(rng);
        List<Member> members = List.copyOf(population);
        Member parent = null;
        for (int i = 0; i < cfg.sampleSize(); i++) { // with replacement, as in the paper's reference code
            Member m = members.get(rng.nextInt(members.size()));
            if (parent == null || m.reward() > parent.reward()) parent = m;
        }
        return mutate(parent.child(), rng);
    }

    /** Changes one uniformly chosen decision (among those with a choice) to a uniformly chosen other option. */
    private ArchChoice mutate(ArchChoice parent, SplittableRandom rng) {
        int[] t = parent.tokens();
        int d;
        do d = rng.nextInt(t.length); while (sizes[d] < 2);
        int other = rng.nextInt(sizes[d] - 1);
        t[d] = other >= t[d] ? other + 1 : other;
        return ArchChoice.ofTokens(t);
    }

    @Override
    public void observe(ArchChoice child, double reward) {
        if (!Double.isFinite(reward)) throw new IllegalArgumentException("reward " + reward);
        population.addLast(new Member(child, reward));
        while (population.size() > cfg.population()) population.removeFirst();
    }

    /** The living population, oldest first. */
    public List<Member> population() {
        return List.copyOf(population);
    }

    @Override
    public double entropy() {
        return Double.NaN;
    }

    @Override
    public void save(Path dir) throws IOException {
        Json.write(dir.resolve(STATE), new State(List.copyOf(population)));
    }

    @Override
    public void load(Path dir) throws IOException {
        State s = Json.read(dir.resolve(STATE), State.class);
        for (Member m : s.population()) {
            if (m.child().tokens().length != sizes.length) {
                throw new IOException(dir.resolve(STATE) + ": a member has " + m.child().tokens().length + " decisions, the space " + sizes.length);
            }
        }
        population.clear();
        population.addAll(s.population());
    }
}
