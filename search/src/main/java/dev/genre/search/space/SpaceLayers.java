package dev.genre.search.space;

import dev.genre.search.spec.BlockSpec;
import dev.genre.search.spec.Layer;
import dev.genre.search.spec.LayerKey;
import dev.genre.search.spec.NetworkSpec;
import dev.genre.search.spec.SpecResolver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every distinct layer (by {@link LayerKey}) that some child of a space can contain: the stem,
 * each block's layers for every choice and every input width the previous block can give, and
 * the head for every last width. What the device profile must time.
 */
public final class SpaceLayers {
    private SpaceLayers() {}

    public static Map<String, Layer> distinct(SearchSpace space) {
        Map<String, Layer> out = new LinkedHashMap<>();
        // Fixed parts come from any decoded child; the head varies only with the last block's width.
        int[] sizes = space.optionCounts();
        List<BlockChoice> all = allBlockChoices(sizes);
        NetworkSpec any = space.decode(new ArchChoice(java.util.Collections.nCopies(space.skeleton().size(), all.get(0))));
        List<Layer> rows = SpecResolver.resolve(any);
        add(out, rows.get(0));
        int[] hw = {rows.get(0).outH(), rows.get(0).outW()};
        List<Integer> inWidths = List.of(space.stem().out());
        for (int b = 0; b < space.skeleton().size(); b++) {
            List<Integer> next = new ArrayList<>();
            int[] nextHw = null;
            for (BlockChoice c : all) {
                BlockSpec blk = space.blockSpec(b, c);
                for (int in : inWidths) {
                    List<Layer> layers = SpecResolver.resolveBlock(blk, "b" + b, 0, in, hw[0], hw[1]);
                    for (Layer l : layers) add(out, l);
                    if (!layers.isEmpty()) {
                        Layer last = layers.get(layers.size() - 1);
                        nextHw = new int[] {last.outH(), last.outW()};
                    }
                    int w = layers.isEmpty() ? in : blk.out();
                    if (!next.contains(w)) next.add(w);
                }
            }
            inWidths = next;
            hw = nextHw;
        }
        for (int in : inWidths) {
            for (Layer l : SpecResolver.resolveHead(space.head(), space.classes(), 0, in, hw[0], hw[1])) add(out, l);
        }
        return out;
    }

    private static void add(Map<String, Layer> out, Layer l) {
        out.putIfAbsent(LayerKey.of(l), l);
    }

    static List<BlockChoice> allBlockChoices(int[] sizes) {
        List<BlockChoice> all = new ArrayList<>();
        int[] t = new int[sizes.length];
        while (true) {
            all.add(BlockChoice.of(t, 0));
            int i = sizes.length - 1;
            while (i >= 0 && ++t[i] == sizes[i]) t[i--] = 0;
            if (i < 0) return all;
        }
    }
}
