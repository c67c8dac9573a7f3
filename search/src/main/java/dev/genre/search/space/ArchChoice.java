package dev.genre.search.space;

import java.util.Arrays;
import java.util.List;

/**
 * One child of the search space: a {@link BlockChoice} per skeleton block. Its flat token form
 * ({@link #tokens()}) is the sequence the controller samples, one decision after another.
 */
public record ArchChoice(List<BlockChoice> blocks) {
    public ArchChoice {
        blocks = List.copyOf(blocks);
    }

    public int[] tokens() {
        int[] t = new int[blocks.size() * SearchSpace.DECISIONS_PER_BLOCK];
        for (int b = 0; b < blocks.size(); b++) System.arraycopy(blocks.get(b).tokens(), 0, t, b * SearchSpace.DECISIONS_PER_BLOCK, SearchSpace.DECISIONS_PER_BLOCK);
        return t;
    }

    public static ArchChoice ofTokens(int[] tokens) {
        if (tokens.length % SearchSpace.DECISIONS_PER_BLOCK != 0) throw new IllegalArgumentException("token count " + tokens.length);
        BlockChoice[] b = new BlockChoice[tokens.length / SearchSpace.DECISIONS_PER_BLOCK];
        for (int i = 0; i < b.length; i++) b[i] = BlockChoice.of(tokens, i * SearchSpace.DECISIONS_PER_BLOCK);
        return new ArchChoice(Arrays.asList(b));
    }

    /** Compact key, e.g. {@code 2103121-...}: one digit per decision, blocks joined by '-'. */
    public String key() {
        StringBuilder s = new StringBuilder();
        for (BlockChoice c : blocks) {
            if (s.length() > 0) s.append('-');
            for (int t : c.tokens()) s.append(t);
        }
        return s.toString();
    }
}
