package dev.genre.search.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import dev.genre.io.Json;
import dev.genre.search.net.SpecNetwork;
import dev.genre.search.spec.NetworkSpec;
import dev.genre.search.train.TrainConfig;
import dev.genre.search.train.TrainingStep;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code genre bench train}: MobileNetV3-Small (1 x 128 x 128, 10 classes) training throughput
 * with the trainer's own step (batch 32, AdamW) on N threads, and single-segment inference latency
 * on 1 thread, for DJL and for PyTorch (torchvision, same architecture) in the same run. Medians.
 */
public final class TrainBenchmark {
    /** {@code profileSteps} > 0 also records that many training steps with each framework's op profiler. */
    public record Config(int batch, int trainThreads, int steps, int warmup, int runs, Path peerScript, String python, Path work,
            int profileSteps) {}

    private final Config cfg;
    private final PrintStream out;

    public TrainBenchmark(Config cfg, PrintStream out) {
        this.cfg = cfg;
        this.out = out;
    }

    public Map<String, Object> run() throws Exception {
        NetworkSpec spec = NetworkSpec.load("mobilenetv3-small").withInput(1, 128, 128).withClasses(10);
        Map<String, Object> djl = djl(spec);
        Map<String, Object> peer = pytorch();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", "mobilenetv3-small 1x128x128, 10 classes");
        r.put("djl", djl);
        r.put("pytorch", peer == null ? Map.of("available", false) : peer);
        out.println();
        out.println("| measure | DJL (genre) | PyTorch | ratio |");
        out.println("|---|---|---|---|");
        double ds = (double) djl.get("trainSamplesPerSecond"), di = (double) djl.get("inferMedianMs");
        if (peer != null) {
            double ps = ((Number) peer.get("trainSamplesPerSecond")).doubleValue(), pi = ((Number) peer.get("inferMedianMs")).doubleValue();
            r.put("trainRatio", ds / ps);
            r.put("inferRatio", di / pi);
            out.printf("| training, batch %d, %d threads | %.0f samples/s | %.0f samples/s | %.2fx |%n", cfg.batch(), cfg.trainThreads(), ds, ps, ds / ps);
            double dm = cfg.batch() / (double) djl.get("trainStepSecondsMean"), pm = cfg.batch() / ((Number) peer.get("trainStepSecondsMean")).doubleValue();
            out.printf("| training, mean step (stalls included) | %.0f samples/s | %.0f samples/s | %.2fx |%n", dm, pm, dm / pm);
            out.printf("| inference, 1 segment, 1 thread (median of %d) | %.2f ms | %.2f ms | %.2fx the time |%n", cfg.runs(), di, pi, di / pi);
        } else {
            out.printf("| training, batch %d, %d threads | %.0f samples/s | n/a | |%n", cfg.batch(), cfg.trainThreads(), ds);
            out.printf("| inference, 1 segment, 1 thread | %.2f ms | n/a | |%n", di);
        }
        if (cfg.profileSteps() > 0) r.put("profile", profileTable());
        return r;
    }

    /** Self time per op and training step, DJL against PyTorch, from the two traces. */
    private Map<String, Object> profileTable() throws IOException {
        Path djlTrace = cfg.work().resolve("djl-trace.json"), ptTrace = cfg.work().resolve("pytorch-trace.json");
        Map<String, Double> djl = OpProfile.selfMillis(djlTrace), pt = Files.isRegularFile(ptTrace) ? OpProfile.selfMillis(ptTrace) : Map.of();
        int n = cfg.profileSteps();
        out.println();
        out.printf("Self time per training step by op (libtorch profiler, %d steps; traces in %s):%n", n, cfg.work());
        out.println("| op | DJL ms/step | PyTorch ms/step | DJL - PyTorch |");
        out.println("|---|---|---|---|");
        List<String> ops = new ArrayList<>(new java.util.TreeSet<>(djl.keySet()));
        pt.keySet().stream().filter(k -> !djl.containsKey(k)).forEach(ops::add);
        ops.sort(java.util.Comparator.comparingDouble(k -> -Math.max(djl.getOrDefault(k, 0.0), pt.getOrDefault(k, 0.0))));
        Map<String, Object> rows = new LinkedHashMap<>();
        double dSum = 0, pSum = 0;
        for (String op : ops) {
            double d = djl.getOrDefault(op, 0.0) / n, p = pt.getOrDefault(op, 0.0) / n;
            dSum += d;
            pSum += p;
            rows.put(op, Map.of("djlMs", d, "pytorchMs", p));
            if (rows.size() <= 25) out.printf("| %s | %.2f | %.2f | %+.2f |%n", op, d, p, d - p);
        }
        out.printf("| all ops (%d kinds) | %.1f | %.1f | %+.1f |%n", ops.size(), dSum, pSum, dSum - pSum);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("steps", n);
        r.put("selfMsPerStep", rows);
        return r;
    }

    private Map<String, Object> djl(NetworkSpec spec) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            JniUtils.setNumThreads(cfg.trainThreads());
            TrainConfig tc = TrainConfig.defaults().with(1, cfg.batch(), 1e-3, 0);
            SpecNetwork net = new SpecNetwork(spec);
            net.initialize(manager, DataType.FLOAT32, net.inputShape(cfg.batch()));
            TrainingStep step = new TrainingStep(net, tc, manager);
            SplittableRandom rng = new SplittableRandom(0);
            float[] x = new float[cfg.batch() * 128 * 128];
            for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
            float[] t = new float[cfg.batch() * 10];
            for (int b = 0; b < cfg.batch(); b++) t[b * 10 + rng.nextInt(10)] = 1;
            double[] times = new double[cfg.steps()];
            for (int i = 0; i < cfg.warmup() + cfg.steps(); i++) {
                long t0 = System.nanoTime();
                step.run(x, t, 1e-3);
                if (i >= cfg.warmup()) times[i - cfg.warmup()] = (System.nanoTime() - t0) / 1e9;
                if (Boolean.getBoolean("genre.bench.logSteps")) System.err.printf("step %d %.1f ms%n", i, (System.nanoTime() - t0) / 1e6);
            }
            double stepSeconds = median(times);
            if (cfg.profileSteps() > 0) {
                Files.createDirectories(cfg.work());
                JniUtils.startProfile(false, true, false); // with input shapes, to tell the layers apart
                for (int i = 0; i < cfg.profileSteps(); i++) step.run(x, t, 1e-3);
                JniUtils.stopProfile(cfg.work().resolve("djl-trace.json").toString());
            }
            m.put("trainThreads", cfg.trainThreads());
            m.put("trainStepSeconds", stepSeconds);
            m.put("trainStepSecondsMean", Arrays.stream(times).average().orElseThrow()); // stalls show here, not in the median
            m.put("trainStepSecondsMax", Arrays.stream(times).max().orElseThrow());
            m.put("trainStepSecondsEach", times);
            m.put("trainSamplesPerSecond", cfg.batch() / stepSeconds);

            JniUtils.setNumThreads(1);
            ParameterStore ps = new ParameterStore(manager, false);
            double[] runs = new double[cfg.runs()];
            for (int i = 0; i < 20 + cfg.runs(); i++) {
                try (NDManager sub = manager.newSubManager()) {
                    NDArray one = sub.randomNormal(new Shape(1, 1, 128, 128));
                    long t0 = System.nanoTime();
                    net.predict(ps, one).toFloatArray();
                    if (i >= 20) runs[i - 20] = (System.nanoTime() - t0) / 1e6;
                }
            }
            m.put("inferMedianMs", median(runs));
            m.put("inferRuns", cfg.runs());
            m.put("params", net.parameterCount());
        }
        return m;
    }

    private Map<String, Object> pytorch() throws Exception {
        if (cfg.peerScript() == null || !Files.isRegularFile(cfg.peerScript())) {
            out.println("PyTorch peer: script not found, skipped");
            return null;
        }
        Files.createDirectories(cfg.work());
        Path json = cfg.work().resolve("pytorch.json");
        List<String> cmd = new ArrayList<>(List.of(cfg.python(), cfg.peerScript().toString(), "--json", json.toString(),
                "--batch", Integer.toString(cfg.batch()), "--train-threads", Integer.toString(cfg.trainThreads()),
                "--steps", Integer.toString(cfg.steps()), "--warmup", Integer.toString(cfg.warmup()), "--runs", Integer.toString(cfg.runs())));
        if (cfg.profileSteps() > 0) {
            cmd.addAll(List.of("--profile", cfg.work().resolve("pytorch-trace.json").toString(), "--profile-steps",
                    Integer.toString(cfg.profileSteps())));
        }
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            out.println("PyTorch peer: cannot run " + cfg.python() + " (" + e.getMessage() + "), skipped");
            return null;
        }
        String log = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            out.println("PyTorch peer failed, skipped: " + log.strip().lines().reduce((a, b) -> b).orElse(""));
            return null;
        }
        JsonNode j = Json.MAPPER.readTree(json.toFile());
        @SuppressWarnings("unchecked")
        Map<String, Object> m = Json.MAPPER.convertValue(j, Map.class);
        return m;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
