package dev.genre.cli;

import dev.genre.io.Json;
import dev.genre.search.spec.ArchTable;
import dev.genre.search.spec.NetworkSpec;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

final class ArchCommand implements Command {
    @Override
    public String name() {
        return "arch";
    }

    @Override
    public String summary() {
        return "'arch show NAME|spec.json': layer table with output shapes, parameters and MACs";
    }

    @Override
    public String usage() {
        return "show NAME|spec.json [--input CxHxW] [--classes N] [--json]";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Flags.value("input", "CxHxW", "input shape, e.g. 1x128x128 (default: the spec's)"));
        o.addOption(Flags.value("classes", "N", "number of classes (default: the spec's)"));
        o.addOption(Flags.flag("json", "print JSON (params, macs, spec, layers) instead of the table"));
        return o;
    }

    @Override
    public int run(CommandLine cmd) throws Exception {
        if (cmd.getArgList().size() != 2 || !cmd.getArgList().get(0).equals("show")) {
            throw new IllegalArgumentException("expected: arch show NAME|spec.json (references: " + String.join(", ", NetworkSpec.REFERENCES) + ")");
        }
        NetworkSpec spec = NetworkSpec.load(cmd.getArgList().get(1));
        if (cmd.hasOption("input")) {
            String[] p = cmd.getOptionValue("input").split("x");
            if (p.length != 3) throw new IllegalArgumentException("--input must look like 1x128x128");
            try {
                spec = spec.withInput(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--input must look like 1x128x128, got " + cmd.getOptionValue("input"));
            }
        }
        if (cmd.hasOption("classes")) spec = spec.withClasses(Flags.intValue(cmd, "classes", spec.classes()));
        if (cmd.hasOption("json")) {
            System.out.println(new String(Json.pretty(ArchTable.json(spec))));
        } else {
            System.out.print(ArchTable.text(spec));
        }
        return OK;
    }
}
