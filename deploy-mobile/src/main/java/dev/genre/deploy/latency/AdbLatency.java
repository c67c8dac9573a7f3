package dev.genre.deploy.latency;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Latency on an Android phone: pushes the model and ONNX Runtime's own {@code onnxruntime_perf_test}
 * (built for the phone, supplied by the user) to {@code /data/local/tmp}, runs it with one thread
 * and parses its report. Only the command lines and the parser are tested here (no phone attached).
 */
public final class AdbLatency {
    static final String REMOTE_DIR = "/data/local/tmp";
    static final String REMOTE_BINARY = REMOTE_DIR + "/onnxruntime_perf_test";
    private final String serial;

    public AdbLatency(String serial) {
        this.serial = serial;
    }

    List<String> adb(String... args) {
        List<String> c = new ArrayList<>(List.of("adb"));
        if (serial != null) c.addAll(List.of("-s", serial));
        c.addAll(List.of(args));
        return c;
    }

    /** The perf_test invocation: generated inputs (-I), N timed runs, intra-op threads, CPU provider. */
    List<String> benchmarkCommand(String remoteBinary, String remoteModel, int threads, int runs) {
        return adb("shell", remoteBinary, "-I", "-m", "times", "-r", Integer.toString(runs), "-x", Integer.toString(threads), "-y", "1",
                "-e", "cpu", remoteModel);
    }

    public LatencyStats measure(Path model, Path benchmark, int threads, int runs) throws IOException {
        install(benchmark);
        return time(model, threads, runs);
    }

    /** Checks the device and pushes the benchmark once; then {@link #time} may run any number of models. */
    public void install(Path benchmark) throws IOException {
        checkDevice();
        for (List<String> c : installCommands(benchmark)) exec(c);
    }

    public LatencyStats time(Path model, int threads, int runs) throws IOException {
        List<List<String>> cmds = timeCommands(model, threads, runs);
        exec(cmds.get(0));
        return parse(exec(cmds.get(1)));
    }

    List<List<String>> installCommands(Path benchmark) {
        return List.of(adb("push", benchmark.toString(), REMOTE_BINARY), adb("shell", "chmod", "755", REMOTE_BINARY));
    }

    /** Push the model (same file name, same remote file: a profile overwrites one file), then time it. */
    List<List<String>> timeCommands(Path model, int threads, int runs) {
        String remoteModel = REMOTE_DIR + "/genre-" + model.getFileName();
        return List.of(adb("push", model.toString(), remoteModel), benchmarkCommand(REMOTE_BINARY, remoteModel, threads, runs));
    }

    public Map<String, String> describe() throws IOException {
        return Map.of("target", serial == null ? "adb" : "adb:" + serial,
                "model", exec(adb("shell", "getprop", "ro.product.model")).trim(),
                "soc", exec(adb("shell", "getprop", "ro.soc.model")).trim(),
                "abi", exec(adb("shell", "getprop", "ro.product.cpu.abi")).trim());
    }

    void checkDevice() throws IOException {
        String out;
        try {
            out = exec(List.of("adb", "devices"));
        } catch (IOException e) {
            throw new IOException("adb is not on PATH (apt-get install adb, or Android platform-tools): " + e.getMessage());
        }
        List<String> devices = devices(out);
        if (devices.isEmpty()) throw new IOException("no Android device attached (adb devices lists none in state 'device')");
        if (serial != null && !devices.contains(serial)) throw new IOException("device " + serial + " is not attached (attached: " + devices + ")");
        if (serial == null && devices.size() > 1) throw new IOException("several devices attached " + devices + ": pick one with --target adb:SERIAL");
    }

    /** Serials in state "device" from {@code adb devices}. */
    static List<String> devices(String adbDevicesOutput) {
        List<String> d = new ArrayList<>();
        for (String line : adbDevicesOutput.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && f[1].equals("device")) d.add(f[0]);
        }
        return d;
    }

    private static final Pattern LATENCY = Pattern.compile("^(Min|Max|P50|P90|P95|P99|P999) Latency:\\s*([0-9.eE+-]+)\\s*s", Pattern.MULTILINE);
    private static final Pattern AVERAGE = Pattern.compile("Average inference time cost:\\s*([0-9.eE+-]+)\\s*ms");
    private static final Pattern REQUESTS = Pattern.compile("Total inference requests:\\s*(\\d+)");

    /** Parses onnxruntime_perf_test's report (percentiles in seconds, average in ms) into milliseconds. */
    static LatencyStats parse(String out) throws IOException {
        Map<String, Double> p = new java.util.HashMap<>();
        Matcher m = LATENCY.matcher(out);
        while (m.find()) p.put(m.group(1), Double.parseDouble(m.group(2)) * 1000);
        Matcher a = AVERAGE.matcher(out), r = REQUESTS.matcher(out);
        if (!p.containsKey("P50") || !a.find()) throw new IOException("unrecognised onnxruntime_perf_test output: " + firstLine(out));
        int runs = r.find() ? Integer.parseInt(r.group(1)) : 0;
        return new LatencyStats(runs, p.get("P50"), p.getOrDefault("P90", Double.NaN), p.getOrDefault("P99", Double.NaN),
                Double.parseDouble(a.group(1)), Double.NaN, p.getOrDefault("Min", Double.NaN));
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }

    private static String exec(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + firstLine(out));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", cmd));
        }
        return out;
    }
}
