package dev.genre.cli;

import dev.genre.deploy.latency.DeviceProfiler;
import dev.genre.deploy.latency.LatencyTarget;
import dev.genre.deploy.latency.LatencyValidation;
import dev.genre.io.AtomicFiles;
import dev.genre.io.Hashes;
import dev.genre.io.Json;
import dev.genre.run.Progress;
import dev.genre.run.RunRecord;
import dev.genre.search.latency.DeviceProfile;
import dev.genre.search.latency.Precision;
import dev.genre.search.space.SearchSpace;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

final class ProfileDeviceCommand implements Command {
    @Override
    public String name() {
        return "profile-device";
    }

    @Override
    public String summary() {
        return "per-layer latency table of a device for a search space (contract 3), or --validate one on whole networks";
    }

    @Override
    public String usage() {
        return "--output PROFILE.json [--target local|adb[:SERIAL]] [--space SPACE.json] [--precision int8|float] [--runs N] [--warmup N]\n"
                + "       genre profile-device --validate PROFILE.json [--specs 20] [--seed K] [--output VALIDATION.json]";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Flags.value("output", "FILE", "profile JSON to write (with --validate: the report, default PROFILE-validation.json)"));
        o.addOption(Flags.value("target", "TARGET", "local (default) or adb[:SERIAL]"));
        o.addOption(Flags.value("space", "FILE", "search space JSON (genre-space/1); default MobileNetV3-Small's space for 1x128x128"));
        o.addOption(Flags.value("classes", "N", "classes of the default space (default 10)"));
        o.addOption(Flags.value("precision", "P", "int8 (QDQ, what ships; default) or float"));
        o.addOption(Flags.value("threads", "N", "intra-op threads (default 1)"));
        o.addOption(Flags.value("runs", "N", "timed runs per layer (default 100; calibration networks get 200); with --validate per network (default 200)"));
        o.addOption(Flags.value("warmup", "N", "untimed runs first (default 10 per layer, 20 per network)"));
        o.addOption(Flags.value("statistic", "S", "time of each model over its runs: p50 (default) or min (steadier on a shared machine)"));
        o.addOption(Flags.value("calibration-specs", "N", "whole networks the scale and overhead are fitted on (default 10)"));
        o.addOption(Flags.value("seed", "K", "random weights, calibration networks; with --validate the sampled networks (default 1)"));
        o.addOption(Flags.value("validate", "FILE", "measure random whole networks of the profile's space and compare with its predictions"));
        o.addOption(Flags.value("specs", "N", "with --validate: networks to measure (default 20)"));
        o.addOption(Flags.value("phone-benchmark", "PATH", "adb only: ONNX Runtime's onnxruntime_perf_test built for the phone"));
        return o;
    }

    @Override
    public int run(CommandLine cmd) throws Exception {
        return cmd.hasOption("validate") ? validate(cmd) : profile(cmd);
    }

    private static LatencyTarget target(CommandLine cmd, int threads, int warmup, int runs) throws Exception {
        Path bench = cmd.hasOption("phone-benchmark") ? Path.of(cmd.getOptionValue("phone-benchmark")) : null;
        return LatencyTarget.parse(cmd.getOptionValue("target", "local"), threads, warmup, runs, bench);
    }

    private int profile(CommandLine cmd) throws Exception {
        Instant started = Instant.now();
        if (!cmd.hasOption("output")) throw new IllegalArgumentException("--output PROFILE.json is required");
        Path out = Path.of(cmd.getOptionValue("output"));
        SearchSpace space = cmd.hasOption("space") ? Json.read(Path.of(cmd.getOptionValue("space")), SearchSpace.class)
                : SearchSpace.mobileNetV3Small(128, 128, Flags.intValue(cmd, "classes", 10));
        int threads = Flags.intValue(cmd, "threads", 1), runs = Flags.intValue(cmd, "runs", 100), warmup = Flags.intValue(cmd, "warmup", 10);
        DeviceProfiler.Options o = new DeviceProfiler.Options(Precision.of(cmd.getOptionValue("precision", "int8")), threads, warmup, runs,
                cmd.getOptionValue("statistic", "p50"), Flags.intValue(cmd, "calibration-specs", 10), Flags.longValue(cmd, "seed", 1));
        DeviceProfile p = DeviceProfiler.build(space, target(cmd, threads, warmup, runs), o, Progress.auto());
        Json.write(out, p);
        long seconds = java.time.Duration.between(started, Instant.now()).toSeconds();
        System.out.printf("%d layers, %s, network = %.3f x layer sum %+.3f ms (fitted on %d networks), %d s -> %s%n", p.layers().size(), p.precision().id(), p.scale(),
                p.overheadMs(), p.calibration().size(), seconds, out);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("target", cmd.getOptionValue("target", "local"));
        params.put("space", cmd.getOptionValue("space", "default"));
        params.put("precision", p.precision().id());
        params.put("threads", threads);
        params.put("runs", runs);
        params.put("warmup", warmup);
        params.put("statistic", o.statistic());
        params.put("calibrationSpecs", o.calibrationSpecs());
        Map<String, String> inputs = cmd.hasOption("space") ? Map.of("space", Hashes.sha256(Path.of(cmd.getOptionValue("space")))) : Map.of();
        writeRecord(out, RunRecord.of("profile-device", params, o.seed(), inputs, started,
                Map.of("layers", p.layers().size(), "overheadMs", p.overheadMs(), "seconds", seconds)));
        return OK;
    }

    private int validate(CommandLine cmd) throws Exception {
        Instant started = Instant.now();
        Path file = Path.of(cmd.getOptionValue("validate"));
        DeviceProfile p = DeviceProfile.read(file);
        int specs = Flags.intValue(cmd, "specs", 20), runs = Flags.intValue(cmd, "runs", DeviceProfiler.NETWORK_RUNS),
                warmup = Flags.intValue(cmd, "warmup", DeviceProfiler.NETWORK_WARMUP);
        long seed = Flags.longValue(cmd, "seed", 1);
        LatencyValidation.Report r = LatencyValidation.run(p, target(cmd, p.threads(), warmup, runs), runs, specs, seed, Progress.auto());
        String name = file.getFileName().toString().replaceFirst("\\.json$", "");
        Path out = cmd.hasOption("output") ? Path.of(cmd.getOptionValue("output")) : file.toAbsolutePath().resolveSibling(name + "-validation.json");
        Json.write(out, r);
        System.out.printf("%-62s %12s %12s %8s%n", "spec", "predicted ms", "measured ms", "error %");
        for (LatencyValidation.Row row : r.rows()) {
            System.out.printf("%-62s %12.3f %12.3f %+8.1f%n", row.key(), row.predictedMs(), row.measuredMs(), row.errorPct());
        }
        System.out.printf("%d networks, %s: Spearman rho %.3f, MAPE %.1f%% (overhead %.3f ms) -> %s%n", r.rows().size(), r.precision(), r.spearman(),
                r.mapePct(), r.overheadMs(), out);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("target", cmd.getOptionValue("target", "local"));
        params.put("specs", specs);
        params.put("runs", runs);
        params.put("warmup", warmup);
        writeRecord(out, RunRecord.of("profile-device --validate", params, seed, Map.of("profile", Hashes.sha256(file)), started,
                Map.of("spearman", r.spearman(), "mapePct", r.mapePct())));
        return OK;
    }

    /** {@code NAME.run.json} beside the output: a profile and its validation often share a folder, and each keeps its own record. */
    private static void writeRecord(Path out, RunRecord record) throws java.io.IOException {
        String name = out.getFileName().toString().replaceFirst("\\.json$", "");
        AtomicFiles.write(out.toAbsolutePath().resolveSibling(name + ".run.json"), Json.pretty(record));
    }
}
