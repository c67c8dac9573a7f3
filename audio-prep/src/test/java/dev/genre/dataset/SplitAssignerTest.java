package dev.genre.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SplitAssignerTest {
    static List<String> ids(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) ids.add(String.format("blues.%05d", i));
        return ids;
    }

    static Map<Split, Integer> counts(Map<String, Split> m) {
        Map<Split, Integer> c = new EnumMap<>(Split.class);
        m.values().forEach(s -> c.merge(s, 1, Integer::sum));
        return c;
    }

    static List<String> reversed(List<String> l) {
        List<String> r = new ArrayList<>(l);
        java.util.Collections.reverse(r);
        return r;
    }

    @Test
    void tenClipsSplitEightOneOne() {
        Map<String, Split> m = new SplitAssigner(SplitSpec.parse("0.8,0.1,0.1", 0)).assign("blues", Map.of(), ids(10));
        assertEquals(Map.of(Split.TRAIN, 8, Split.VALID, 1, Split.TEST, 1), counts(m));
    }

    @Test
    void addingClipsNeverMovesExistingOnesAndKeepsProportions() {
        SplitAssigner a = new SplitAssigner(SplitSpec.parse("0.6,0.2,0.2", 3));
        Map<String, Split> first = a.assign("jazz", Map.of(), ids(10));
        List<String> more = ids(20).subList(10, 20);
        Map<String, Split> added = a.assign("jazz", first, more);
        Map<String, Split> all = new HashMap<>(first);
        all.putAll(added);
        assertEquals(Map.of(Split.TRAIN, 12, Split.VALID, 4, Split.TEST, 4), counts(all));
        for (String id : first.keySet()) assertEquals(first.get(id), all.get(id));
    }

    @Test
    void assignmentIsDeterministicFromTheSeed() {
        Map<String, Split> a = new SplitAssigner(SplitSpec.parse("0.8,0.1,0.1", 1)).assign("rock", Map.of(), ids(30));
        Map<String, Split> b = new SplitAssigner(SplitSpec.parse("0.8,0.1,0.1", 1)).assign("rock", Map.of(), reversed(ids(30)));
        Map<String, Split> c = new SplitAssigner(SplitSpec.parse("0.8,0.1,0.1", 2)).assign("rock", Map.of(), ids(30));
        assertEquals(a, b, "input order does not matter");
        assertNotEquals(a, c, "the seed does");
    }
}
