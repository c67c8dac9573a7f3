package dev.genre.bench;

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
 * on 1 thread, for DJL and for PyTorch (torchvision, same architecture). The two alternate in
 * rounds, PyTorch in a server process, because the host's speed drifts by 20-40% within minutes:
 * each round's ratio compares the peers in the same minute, and the reported ratio is the median
 * of the rounds' ratios. Optionally both record an op-level profile of a few more steps.
 */
public final class TrainBenchmark {
    /** {@code steps} and {@code runs} are totals, split over {@code rounds}; {@code profileSteps} > 0 also profiles. */
    public record Config(int batch, int trainThreads, int steps, int warmup, int runs, int rounds, Path peerScript, String python, Path work,
            int profileSteps) {}

    private final Config cfg;
    private final PrintStream out;

    public TrainBenchmark(Config cfg, PrintStream out) {
        this.cfg = cfg;
        this.out = out;
    }

    public Map<String, Object> run() throws Exception {
        NetworkSpec spec = NetworkSpec.load("mobilenetv3-small").withInput(1, 128, 128).withClasses(10);
        Files.createDirectories(cfg.work());
        try (NDManager manager = NDManager.newBaseManager(); PeerProcess peer = startPeer()) {
            Djl djl = new Djl(spec, manager);
            int stepsPerRound = Math.max(1, cfg.steps() / cfg.rounds()), runsPerRound = Math.max(1, cfg.runs() / cfg.rounds());
            Series train = new Series(), infer = new Series();
            djl.train(cfg.warmup());
            if (peer != null) peer.request("train " + cfg.warmup());
            djl.infer(20);
            if (peer != null) peer.request("infer 20");
            for (int r = 0; r < cfg.rounds(); r++) {
                train.round(djl.train(stepsPerRound), peer == null ? null : values(peer.request("train " + stepsPerRound), "seconds"));
                infer.round(djl.infer(runsPerRound), peer == null ? null : values(peer.request("infer " + runsPerRound), "ms"));
            }
            if (cfg.profileSteps() > 0) {
                djl.profile(cfg.profileSteps(), cfg.work().resolve("djl-trace.json"));
                if (peer != null) peer.request("profile " + cfg.profileSteps() + " " + cfg.work().resolve("pytorch-trace.json"));
            }
            return report(train, infer, djl.net.parameterCount(), peer);
        }
    }

    private Map<String, Object> report(Series train, Series infer, long params, PeerProcess peer) throws IOException {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", "mobilenetv3-small 1x128x128, 10 classes");
        r.put("batch", cfg.batch());
        r.put("trainThreads", cfg.trainThreads());
        r.put("rounds", cfg.rounds());
        r.put("params", params);
        double ds = cfg.batch() / median(train.djl()), di = median(infer.djl());
        Map<String, Object> djl = new LinkedHashMap<>();
        djl.put("trainSamplesPerSecond", ds);
        djl.put("trainStepSecondsMedian", median(train.djl()));
        djl.put("trainStepSecondsMean", Arrays.stream(train.djl()).average().orElseThrow()); // stalls show here, not in the median
        djl.put("trainStepSecondsEach", train.djl());
        djl.put("inferMedianMs", di);
        r.put("djl", djl);
        out.println();
        out.println("| measure | DJL (genre) | PyTorch | ratio (median of rounds) |");
        out.println("|---|---|---|---|");
        if (peer == null) {
            r.put("pytorch", Map.of("available", false));
            out.printf("| training, batch %d, %d threads | %.0f samples/s | n/a | |%n", cfg.batch(), cfg.trainThreads(), ds);
            out.printf("| inference, 1 segment, 1 thread | %.2f ms | n/a | |%n", di);
        } else {
            double ps = cfg.batch() / median(train.peer()), pi = median(infer.peer());
            double trainRatio = median(train.ratios(true)), inferRatio = median(infer.ratios(false));
            @SuppressWarnings("unchecked")
            Map<String, Object> pt = new LinkedHashMap<>(Json.MAPPER.convertValue(peer.description, Map.class));
            pt.put("trainSamplesPerSecond", ps);
            pt.put("trainStepSecondsMedian", median(train.peer()));
            pt.put("trainStepSecondsMean", Arrays.stream(train.peer()).average().orElseThrow());
            pt.put("inferMedianMs", pi);
            r.put("pytorch", pt);
            r.put("trainRatio", trainRatio);
            r.put("trainRatioEachRound", train.ratios(true));
            r.put("inferRatio", inferRatio);
            r.put("inferRatioEachRound", infer.ratios(false));
            out.printf("| training, batch %d, %d threads (median step) | %.0f samples/s | %.0f samples/s | %.2fx (rounds %s) |%n", cfg.batch(),
                    cfg.trainThreads(), ds, ps, trainRatio, format(train.ratios(true)));
            double dm = cfg.batch() / (double) djl.get("trainStepSecondsMean"), pm = cfg.batch() / (double) pt.get("trainStepSecondsMean");
            out.printf("| training, mean step (stalls included) | %.0f samples/s | %.0f samples/s | %.2fx overall |%n", dm, pm, dm / pm);
            out.printf("| inference, 1 segment, 1 thread (median of %d) | %.2f ms | %.2f ms | %.2fx the time (rounds %s) |%n",
                    infer.djl().length, di, pi, inferRatio, format(infer.ratios(false)));
        }
        if (cfg.profileSteps() > 0) r.put("profile", profileTable());
        return r;
    }

    private PeerProcess startPeer() throws IOException {
        if (cfg.peerScript() == null || !Files.isRegularFile(cfg.peerScript())) {
            out.println("PyTorch peer: script not found, skipped");
            return null;
        }
        List<String> cmd = List.of(cfg.python(), cfg.peerScript().toString(), "--batch", Integer.toString(cfg.batch()), "--train-threads",
                Integer.toString(cfg.trainThreads()));
        try {
            return new PeerProcess(cmd, cfg.work().resolve("pytorch.log"));
        } catch (IOException e) {
            out.println("PyTorch peer: cannot run " + cfg.python() + " (" + e.getMessage() + "), skipped");
            return null;
        }
    }

    /** This project's side: the trainer's own step on a fixed random batch, and eval-mode inference. */
    private final class Djl {
        final SpecNetwork net;
        final TrainingStep step;
        final ParameterStore ps;
        final NDManager manager;
        final float[] x, t;

        Djl(NetworkSpec spec, NDManager manager) {
            this.manager = manager;
            net = new SpecNetwork(spec);
            net.initialize(manager, DataType.FLOAT32, net.inputShape(cfg.batch()));
            step = new TrainingStep(net, TrainConfig.defaults().with(1, cfg.batch(), 1e-3, 0), manager);
            ps = new ParameterStore(manager, false);
            SplittableRandom rng = new SplittableRandom(0);
            x = new float[cfg.batch() * 128 * 128];
            for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
            t = new float[cfg.batch() * 10];
            for (int b = 0; b < cfg.batch(); b++) t[b * 10 + rng.nextInt(10)] = 1;
        }

        /** Seconds per step. */
        double[] train(int n) {
            JniUtils.setNumThreads(cfg.trainThreads());
            double[] s = new double[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                step.run(x, t, 1e-3);
                s[i] = (System.nanoTime() - t0) / 1e9;
            }
            return s;
        }

        /** Milliseconds per single-segment prediction on one thread. */
        double[] infer(int n) {
            JniUtils.setNumThreads(1);
            double[] ms = new double[n];
            for (int i = 0; i < n; i++) {
                try (NDManager sub = manager.newSubManager()) {
                    NDArray one = sub.randomNormal(new Shape(1, 1, 128, 128));
                    long t0 = System.nanoTime();
                    net.predict(ps, one).toFloatArray();
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
            }
            return ms;
        }

        void profile(int n, Path trace) {
            JniUtils.setNumThreads(cfg.trainThreads());
            JniUtils.startProfile(false, true, false); // with input shapes, to tell the layers apart
            for (int i = 0; i < n; i++) step.run(x, t, 1e-3);
            JniUtils.stopProfile(trace.toString());
        }
    }

    /** Times of both peers, by round. */
    private static final class Series {
        private final List<double[]> djl = new ArrayList<>(), peer = new ArrayList<>();

        void round(double[] d, double[] p) {
            djl.add(d);
            if (p != null) peer.add(p);
        }

        double[] djl() {
            return djl.stream().flatMapToDouble(Arrays::stream).toArray();
        }

        double[] peer() {
            return peer.stream().flatMapToDouble(Arrays::stream).toArray();
        }

        /** Per round: PyTorch's median time over DJL's (a speed ratio) when {@code speed}, else DJL's over PyTorch's. */
        double[] ratios(boolean speed) {
            double[] r = new double[peer.size()];
            for (int i = 0; i < r.length; i++) {
                double d = median(djl.get(i)), p = median(peer.get(i));
                r[i] = speed ? p / d : d / p;
            }
            return r;
        }
    }

    private static double[] values(JsonNode reply, String field) {
        double[] v = new double[reply.get(field).size()];
        for (int i = 0; i < v.length; i++) v[i] = reply.get(field).get(i).asDouble();
        return v;
    }

    private static String format(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double x : v) b.append(b.length() == 0 ? "" : " / ").append(String.format("%.2f", x));
        return b.toString();
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

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
