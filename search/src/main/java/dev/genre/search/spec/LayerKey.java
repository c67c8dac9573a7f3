package dev.genre.search.spec;

/**
 * The latency-table key of a resolved layer (contract 3): everything that changes its run time
 * and nothing else (not its position or name). The profile builder times one model per distinct
 * key and the predictor sums keys, so both call this one function.
 */
public final class LayerKey {
    private LayerKey() {}

    /** e.g. {@code mbconv k5 s2 24>144>40 se40 hswish 32x32 pooled_projected}. */
    public static String of(Layer l) {
        String kind = l.kind().name().toLowerCase(java.util.Locale.ROOT);
        String act = l.act() == null ? "linear" : l.act().id();
        String widths = l.kind() == Layer.Kind.MBCONV ? l.in() + ">" + l.expanded() + ">" + l.out() : l.in() + ">" + l.out();
        return String.format("%s k%d s%d %s se%d %s %dx%d %s", kind, l.kernel(), l.stride(), widths, l.squeeze(), act, l.inH(), l.inW(),
                l.shortcut().name().toLowerCase(java.util.Locale.ROOT));
    }
}
