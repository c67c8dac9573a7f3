package dev.genre.cli;

import dev.genre.io.Json;
import dev.genre.schedule.config.ScheduleConfig;
import dev.genre.schedule.history.RunEntry;
import dev.genre.schedule.history.RunHistory;
import dev.genre.schedule.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** {@code genre runs}: the nightly runs recorded in the scheduler's database. */
final class RunsCommand implements Command {
    /** In a holder: every command is built at start-up, and the time-zone data would cost each cold classify 50 ms. */
    private static final class Clock {
        static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
    }

    @Override
    public String name() {
        return "runs";
    }

    @Override
    public String summary() {
        return "list the scheduled runs from the scheduler's database";
    }

    @Override
    public String usage() {
        return "[--config schedule.json] [--job NAME] [--json]";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Flags.value("config", "FILE", "the schedule (default data/schedule.json)"));
        o.addOption(Flags.value("job", "NAME", "only this job's runs"));
        o.addOption(Flags.flag("json", "one JSON document"));
        return o;
    }

    @Override
    public int run(CommandLine cmd) throws Exception {
        Path config = ScheduleCommand.configPath(cmd);
        if (!cmd.hasOption("config") && !Files.exists(config)) {
            // A fresh checkout has no schedule yet: that is an empty history, not an error (a --config that names no file still is one).
            if (cmd.hasOption("json")) {
                System.out.println("[]");
            } else {
                System.out.println("(no runs yet: no schedule is configured at " + config + ")");
                System.out.println("To start one: cp scheduler/schedule.example.json " + config + ", edit it, then genre schedule start");
            }
            return OK;
        }
        ScheduleConfig cfg = ScheduleConfig.read(config);
        Database db = new Database(cfg.store());
        db.install();
        List<RunEntry> runs = new RunHistory(db).list();
        if (cmd.hasOption("job")) runs = runs.stream().filter(e -> e.job().equals(cmd.getOptionValue("job"))).toList();
        if (cmd.hasOption("json")) {
            System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(runs));
            return OK;
        }
        System.out.println("| job | start | end | status | dataset changes | best reward | test acc | latency ms | promoted | warm | run dir |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (RunEntry e : runs) {
            System.out.printf("| %s | %s | %s | %s%s | %s | %s | %s | %s | %s | %s | %s |%n", e.job(), time(e.startedAt()), e.endedAt() == null ? "" : time(e.endedAt()),
                    e.status(), e.attempts() > 1 ? " (" + e.attempts() + " attempts" + (e.recovered() ? ", recovered" : "") + ")" : "",
                    nz(e.datasetChanges()), num(e.bestReward(), "%.4f"), num(e.accuracy(), "%.3f"), num(e.latencyMs(), "%.3f"), yn(e.promoted()),
                    Boolean.TRUE.equals(e.resumed()) ? "resumed" : yn(e.warmStart()), nz(e.runDir()));
        }
        if (runs.isEmpty()) System.out.println("(no runs yet)");
        return OK;
    }

    static String time(long millis) {
        return Clock.TIME.format(Instant.ofEpochMilli(millis));
    }

    static String time(Date d) {
        return d == null ? "-" : time(d.getTime());
    }

    private static String num(Double v, String f) {
        return v == null ? "" : String.format(f, v);
    }

    private static String yn(Boolean b) {
        return b == null ? "" : b ? "yes" : "no";
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
