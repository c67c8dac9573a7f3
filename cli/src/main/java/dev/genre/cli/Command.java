package dev.genre.cli;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** One {@code genre} subcommand: its flags and how it wires the stages. No logic of its own. */
interface Command {
    int OK = 0;
    int FAILED = 1;
    int USAGE = 2;
    int SOME_REJECTED = 3;

    String name();

    String summary();

    /** Argument synopsis after the command name, e.g. {@code FILE --output FILE.npy}. */
    default String usage() {
        return "[options]";
    }

    Options options();

    int run(CommandLine cmd) throws Exception;
}
