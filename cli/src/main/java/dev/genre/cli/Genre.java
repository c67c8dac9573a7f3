package dev.genre.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * The {@code genre} entry point. Exit codes: 0 done, 1 failed, 2 bad usage, 3 done but some input
 * files were rejected (each named on its own line).
 */
public final class Genre {
    private static final List<Command> COMMANDS = List.of(
            new DemoCommand(), new SynthCommand(), new PrepCommand(), new MelCommand(), new ArchCommand(), new TrainCommand(), new ExportCommand(),
            new ClassifyCommand(), new MeasureCommand(), new SearchCommand(), new ProfileDeviceCommand(), new ScheduleCommand(), new RunsCommand(),
            new BenchCommand());

    private Genre() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        Map<String, Command> byName = new LinkedHashMap<>();
        for (Command c : COMMANDS) byName.put(c.name(), c);
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            printOverview(byName);
            return args.length == 0 ? Command.USAGE : Command.OK;
        }
        Command command = byName.get(args[0]);
        if (command == null) {
            System.err.println("genre: unknown command '" + args[0] + "' (genre --help lists them)");
            return Command.USAGE;
        }
        Options options = command.options();
        options.addOption(Option.builder("h").longOpt("help").desc("show this help").build());
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        // Help wins over missing required options, so it is checked before parsing.
        if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
            printHelp(command, options);
            return Command.OK;
        }
        try {
            return command.run(new DefaultParser().parse(options, rest));
        } catch (ParseException | IllegalArgumentException e) {
            System.err.println("genre " + command.name() + ": " + e.getMessage() + " (genre " + command.name() + " --help)");
            return Command.USAGE;
        } catch (IOException | UncheckedIOException e) {
            System.err.println("genre " + command.name() + ": " + e.getMessage());
            return Command.FAILED;
        } catch (Exception e) {
            System.err.println("genre " + command.name() + ": failed: " + e);
            e.printStackTrace(System.err);
            return Command.FAILED;
        }
    }

    private static void printOverview(Map<String, Command> commands) {
        System.out.println("usage: genre <command> [options]   (genre <command> --help for its options)");
        System.out.println();
        System.out.println("Finds, trains and ships a tiny music-genre classifier.");
        System.out.println();
        System.out.println("commands:");
        commands.values().forEach(c -> System.out.printf("  %-14s %s%n", c.name(), c.summary()));
        System.out.println();
        System.out.println("exit codes: 0 done, 1 failed, 2 bad usage, 3 done but some files were rejected");
    }

    private static void printHelp(Command c, Options options) {
        HelpFormatter f = new HelpFormatter();
        f.setWidth(100);
        PrintWriter out = new PrintWriter(System.out, true);
        f.printHelp(out, 100, "genre " + c.name() + " " + c.usage(), c.summary(), options, 2, 4, null);
        out.flush();
    }
}
