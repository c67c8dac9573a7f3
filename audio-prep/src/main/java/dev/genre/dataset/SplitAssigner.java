package dev.genre.dataset;

import dev.genre.io.Hashes;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stratified, stable split assignment. Within a genre, clips that already have a split keep it;
 * new clips, taken in an order fixed by the seed, each go to the split furthest below its target
 * share. So the per-genre proportions track the targets, the result depends only on the seed and
 * the clip ids, and adding a clip never moves another one.
 */
public final class SplitAssigner {
    private final SplitSpec spec;

    public SplitAssigner(SplitSpec spec) {
        this.spec = spec;
    }

    /**
     * @param existing clip id -> split already assigned (kept as is), per genre
     * @param fresh    ids of one genre still to assign
     * @return id -> split for the fresh ids
     */
    public Map<String, Split> assign(String genre, Map<String, Split> existing, List<String> fresh) {
        Map<Split, Integer> counts = new EnumMap<>(Split.class);
        for (Split s : Split.values()) counts.put(s, 0);
        existing.values().forEach(s -> counts.merge(s, 1, Integer::sum));
        int total = existing.size();
        Map<String, Split> out = new HashMap<>();
        List<String> ordered = fresh.stream().sorted(Comparator.comparing((String id) -> order(genre, id)).thenComparing(id -> id)).toList();
        for (String id : ordered) {
            total++;
            Split best = Split.TRAIN;
            double bestDeficit = Double.NEGATIVE_INFINITY;
            for (Split s : Split.values()) {
                double target = spec.fractions()[s.ordinal()];
                if (target == 0) continue;
                double deficit = target * total - counts.get(s);
                if (deficit > bestDeficit + 1e-12) {
                    bestDeficit = deficit;
                    best = s;
                }
            }
            counts.merge(best, 1, Integer::sum);
            out.put(id, best);
        }
        return out;
    }

    private String order(String genre, String id) {
        return Hashes.sha256(spec.seed() + "/" + genre + "/" + id);
    }
}
