package dev.genre.cli;

import dev.genre.deploy.latency.AdbLatency;
import dev.genre.deploy.latency.DeviceInfo;
import dev.genre.deploy.latency.LatencyStats;
import dev.genre.deploy.latency.LocalLatency;
import dev.genre.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

final class MeasureCommand implements Command {
    @Override
    public String name() {
        return "measure";
    }

    @Override
    public String summary() {
        return "measure one-segment inference latency of an ONNX model here or on a phone over adb";
    }

    @Override
    public String usage() {
        return "--model FILE.onnx --target local|adb[:SERIAL] [--threads 1] [--runs N] [--warmup N] [--output FILE.json] [--phone-benchmark PATH]";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Flags.required("model", "FILE", "ONNX model"));
        o.addOption(Flags.value("target", "TARGET", "local (default) or adb[:SERIAL]"));
        o.addOption(Flags.value("threads", "N", "intra-op threads (default 1)"));
        o.addOption(Flags.value("runs", "N", "timed runs (default 200)"));
        o.addOption(Flags.value("warmup", "N", "untimed runs first (default 20)"));
        o.addOption(Flags.value("output", "FILE", "JSON result (default: latency.json next to the model)"));
        o.addOption(Flags.value("phone-benchmark", "PATH", "adb only: ONNX Runtime's onnxruntime_perf_test built for the phone"));
        return o;
    }

    @Override
    public int run(CommandLine cmd) throws Exception {
        Path model = Path.of(cmd.getOptionValue("model"));
        if (!Files.isRegularFile(model)) throw new java.io.IOException(model + ": no such model file");
        String target = cmd.getOptionValue("target", "local");
        int threads = Flags.intValue(cmd, "threads", 1), runs = Flags.intValue(cmd, "runs", 200), warmup = Flags.intValue(cmd, "warmup", 20);
        LatencyStats s;
        Object device;
        if (target.equals("local")) {
            s = LocalLatency.measure(Files.readAllBytes(model), threads, warmup, runs);
            device = DeviceInfo.local(threads);
        } else if (target.equals("adb") || target.startsWith("adb:")) {
            if (!cmd.hasOption("phone-benchmark")) throw new IllegalArgumentException("--target adb needs --phone-benchmark PATH (onnxruntime_perf_test for the phone)");
            AdbLatency adb = new AdbLatency(target.equals("adb") ? null : target.substring(4));
            s = adb.measure(model, Path.of(cmd.getOptionValue("phone-benchmark")), threads, runs);
            device = adb.describe();
        } else {
            throw new IllegalArgumentException("--target must be local or adb[:SERIAL], not " + target);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", "genre-latency/1");
        doc.put("model", model.toString());
        doc.put("sha256", dev.genre.io.Hashes.sha256(model));
        doc.put("device", device);
        doc.put("latencyMs", s);
        Path out = cmd.hasOption("output") ? Path.of(cmd.getOptionValue("output")) : model.toAbsolutePath().resolveSibling("latency.json");
        Json.write(out, doc);
        System.out.printf("%s on %s, %d thread(s), %d runs: p50 %.3f ms  p90 %.3f  p99 %.3f  mean %.3f  std %.3f -> %s%n", model, target, threads,
                s.runs(), s.p50(), s.p90(), s.p99(), s.mean(), s.std(), out);
        return OK;
    }
}
