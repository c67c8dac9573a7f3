package dev.genre.cli;

import dev.genre.io.AtomicFiles;
import dev.genre.io.Json;
import dev.genre.schedule.config.JobConfig;
import dev.genre.schedule.config.ScheduleConfig;
import dev.genre.schedule.history.RunEntry;
import dev.genre.schedule.history.RunHistory;
import dev.genre.schedule.quartz.NightlyScheduler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** {@code genre schedule start|status|stop}: the nightly scheduler in the foreground, and its remote control. */
final class ScheduleCommand implements Command {
    @Override
    public String name() {
        return "schedule";
    }

    @Override
    public String summary() {
        return "nightly searches with Quartz: 'schedule start' (foreground), 'schedule status', 'schedule stop'";
    }

    @Override
    public String usage() {
        return "start|status|stop [--config schedule.json] [--json] [--timeout SECONDS]";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Flags.value("config", "FILE", "the schedule (default data/schedule.json; README has an example)"));
        o.addOption(Flags.flag("json", "status: one JSON document"));
        o.addOption(Flags.value("timeout", "SECONDS", "stop: how long to wait for a running search to checkpoint and exit (default 600)"));
        return o;
    }

    static Path configPath(CommandLine cmd) {
        return Path.of(cmd.getOptionValue("config", Path.of(System.getProperty("genre.home", "."), "data/schedule.json").toString()));
    }

    @Override
    public int run(CommandLine cmd) throws Exception {
        List<String> args = cmd.getArgList();
        if (args.size() != 1 || !List.of("start", "status", "stop").contains(args.get(0))) {
            throw new IllegalArgumentException("expected start, status or stop");
        }
        ScheduleConfig cfg = ScheduleConfig.read(configPath(cmd));
        return switch (args.get(0)) {
            case "start" -> start(cfg);
            case "status" -> status(cfg, cmd.hasOption("json"));
            default -> stop(cfg, Flags.intValue(cmd, "timeout", 600));
        };
    }

    private static int start(ScheduleConfig cfg) throws Exception {
        Path pid = cfg.pidFile();
        Optional<ProcessHandle> running = runningScheduler(pid);
        if (running.isPresent()) throw new IOException(pid + ": a scheduler is already running (pid " + running.get().pid() + "); genre schedule stop");
        NightlyScheduler s = NightlyScheduler.open(cfg.store());
        s.apply(cfg);
        AtomicFiles.write(pid, Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8));
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM (genre schedule stop, systemd) and Ctrl-C: running searches stop at their next step, checkpointed.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("genre schedule: stopping (a running search checkpoints and stops at its next step)");
            try {
                s.stop();
                Files.deleteIfExists(pid);
            } catch (Exception e) {
                System.err.println("genre schedule: " + e);
            }
            stopped.countDown();
        }, "genre-schedule-stop"));
        s.start();
        System.err.printf("genre schedule: started (pid %d, %s)%n", ProcessHandle.current().pid(), cfg.store().url());
        for (NightlyScheduler.JobStatus j : s.status()) System.err.printf("  %s: cron '%s', next fire %s%n", j.job(), j.cron(), j.nextFire());
        stopped.await();
        return OK;
    }

    private static int status(ScheduleConfig cfg, boolean json) throws Exception {
        Optional<ProcessHandle> running = runningScheduler(cfg.pidFile());
        List<NightlyScheduler.JobStatus> jobs;
        List<RunEntry> active;
        try (NightlyScheduler s = NightlyScheduler.open(cfg.store())) {
            jobs = s.status();
            active = new RunHistory(s.database()).list().stream().filter(e -> e.status() == RunEntry.Status.RUNNING).toList();
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("schedulerPid", running.map(ProcessHandle::pid).orElse(null));
            m.put("jobs", jobs);
            m.put("running", active);
            System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(m));
            return OK;
        }
        System.out.println(running.map(p -> "scheduler: running (pid " + p.pid() + ")").orElse("scheduler: not running on this machine"));
        System.out.println("| job | cron | state | next fire | previous fire |");
        System.out.println("|---|---|---|---|---|");
        for (NightlyScheduler.JobStatus j : jobs) {
            System.out.printf("| %s | %s | %s | %s | %s |%n", j.job(), j.cron(), j.state(), RunsCommand.time(j.nextFire()), RunsCommand.time(j.previousFire()));
        }
        for (JobConfig j : cfg.jobs()) {
            if (jobs.stream().noneMatch(s -> s.job().equals(j.name()))) System.out.println("(job " + j.name() + " is in the config but not scheduled yet: genre schedule start)");
        }
        if (active.isEmpty()) System.out.println("running: none");
        for (RunEntry e : active) {
            System.out.printf("running: %s on %s since %s (%s)%n", e.runId(), e.node(), RunsCommand.time(e.startedAt()), e.runDir() == null ? "preparing" : e.runDir());
        }
        return OK;
    }

    private static int stop(ScheduleConfig cfg, int timeoutSeconds) throws Exception {
        Optional<ProcessHandle> p = runningScheduler(cfg.pidFile());
        if (p.isEmpty()) {
            System.err.println("genre schedule: no scheduler running (" + cfg.pidFile() + ")");
            return FAILED;
        }
        p.get().destroy(); // SIGTERM: the scheduler's shutdown hook interrupts the running search and waits for its checkpoint
        try {
            p.get().onExit().get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            System.err.printf("genre schedule: pid %d still stopping after %d s%n", p.get().pid(), timeoutSeconds);
            return FAILED;
        }
        System.err.printf("genre schedule: stopped (pid %d)%n", p.get().pid());
        return OK;
    }

    /** The process named by the pid file, if it is alive and a Java process (a stale file after a crash names nothing or another program). */
    static Optional<ProcessHandle> runningScheduler(Path pidFile) throws IOException {
        if (!Files.isRegularFile(pidFile)) return Optional.empty();
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(h -> h.info().command().map(c -> c.endsWith("java")).orElse(true));
    }
}
