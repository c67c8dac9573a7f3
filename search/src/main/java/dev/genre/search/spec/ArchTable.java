package dev.genre.search.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The per-layer table {@code genre arch show} prints, computed from the resolved rows. */
public final class ArchTable {
    private ArchTable() {}

    public static String text(NetworkSpec spec) {
        List<Layer> rows = SpecResolver.resolve(spec);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%s  input %dx%dx%d, %d classes%n", spec.name(), spec.input()[0], spec.input()[1], spec.input()[2],
                spec.classes()));
        sb.append(String.format("%-3s %-5s %-10s %5s %5s %5s %4s %3s %3s %-6s %-9s %-14s %12s %14s%n", "#", "block", "layer", "in",
                "exp", "out", "se", "k", "s", "act", "shortcut", "output", "params", "MACs"));
        for (Layer l : rows) {
            Cost c = Cost.of(l);
            sb.append(String.format("%-3d %-5s %-10s %5d %5d %5d %4s %3s %3d %-6s %-9s %-14s %,12d %,14d%n", l.index(), l.block(),
                    l.kind().name().toLowerCase(), l.in(), l.expanded(), l.out(), l.hasSe() ? Integer.toString(l.squeeze()) : "-",
                    l.kernel() == 0 ? "-" : Integer.toString(l.kernel()), l.stride(), l.act() == null ? "-" : l.act().id(),
                    l.shortcut().name().toLowerCase(), l.out() + "x" + l.outH() + "x" + l.outW(), c.params(), c.macs()));
        }
        Cost total = Cost.total(rows);
        sb.append(String.format("total: %,d parameters, %,d MACs (conv and linear layers)%n", total.params(), total.macs()));
        return sb.toString();
    }

    public static Map<String, Object> json(NetworkSpec spec) {
        List<Layer> rows = SpecResolver.resolve(spec);
        Cost total = Cost.total(rows);
        List<Map<String, Object>> layers = new ArrayList<>();
        for (Layer l : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("layer", l);
            m.put("params", Cost.of(l).params());
            m.put("macs", Cost.of(l).macs());
            layers.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", spec.name());
        out.put("spec", spec);
        out.put("params", total.params());
        out.put("macs", total.macs());
        out.put("layers", layers);
        return out;
    }
}
