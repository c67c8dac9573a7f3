package dev.genre.search.strategy;

import ai.djl.ndarray.NDManager;
import dev.genre.search.space.SearchSpace;
import java.util.List;

/** Makes a {@link SearchStrategy} by name. */
public final class SearchStrategies {
    public static final List<String> NAMES = List.of("enas", "random", "evolution");

    private SearchStrategies() {}

    /** {@code manager} holds the ENAS controller's arrays (the others need none); closing the strategy frees them. */
    public static SearchStrategy create(String name, SearchSpace space, EnasConfig enas, EvolutionConfig evolution, NDManager manager) {
        return switch (name) {
            case "enas" -> new EnasStrategy(space, enas, manager);
            case "random" -> new RandomStrategy(space);
            case "evolution" -> new EvolutionStrategy(space, evolution);
            default -> throw new IllegalArgumentException("unknown search strategy '" + name + "' (" + String.join(", ", NAMES) + ")");
        };
    }
}
