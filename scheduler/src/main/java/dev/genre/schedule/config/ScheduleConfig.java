package dev.genre.schedule.config;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.genre.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code genre schedule start --config schedule.json}: where the scheduler keeps its state and
 * which nightly searches it runs. Relative paths resolve against the working directory.
 *
 * @param home   the data folder (default {@code data}): the H2 database and the pid file go to home/scheduler
 * @param store  the Quartz job store and run history database (default: H2 file home/scheduler/genre.mv.db)
 * @param models where packages are kept (default home/models); {@code current} inside it is the promoted one
 * @param jobs   one or more nightly searches
 */
@JsonPropertyOrder({"format", "home", "store", "models", "jobs"})
public record ScheduleConfig(String format, String home, StoreConfig store, String models, List<JobConfig> jobs) {
    public static final String FORMAT = "genre-schedule/1";

    public ScheduleConfig {
        if (format == null) format = FORMAT;
        if (!format.equals(FORMAT)) throw new IllegalArgumentException("unknown schedule format " + format + " (expected " + FORMAT + ")");
        if (home == null) home = "data";
        if (store == null) store = StoreConfig.h2(Path.of(home, "scheduler", "genre"));
        if (models == null) models = Path.of(home, "models").toString();
        if (jobs == null || jobs.isEmpty()) throw new IllegalArgumentException("a schedule needs at least one job");
        Set<String> names = new HashSet<>();
        for (JobConfig j : jobs) if (!names.add(j.name())) throw new IllegalArgumentException("two jobs are named " + j.name());
        String h = home;
        jobs = jobs.stream().map(j -> j.withDefaults(h)).toList();
    }

    public static ScheduleConfig read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no such schedule config");
        try {
            return Json.read(file, ScheduleConfig.class);
        } catch (IOException | IllegalArgumentException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
            throw new IOException(file + ": not a valid schedule config: " + cause.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** The running scheduler's process id, for {@code genre schedule stop}. */
    public Path pidFile() {
        return Path.of(home, "scheduler", store.schedulerName() + ".pid");
    }

    public JobConfig job(String name) {
        return jobs.stream().filter(j -> j.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no job named " + name + " in the schedule"));
    }
}
