package dev.genre.deploy.latency;

import dev.genre.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where models are timed: this machine with ONNX Runtime, or a phone over adb. One model at a time. */
public interface LatencyTarget {
    LatencyStats time(byte[] model) throws IOException;

    Map<String, Object> describe() throws IOException;

    /** The same target timing {@code runs} runs after {@code warmup}: whole networks get more than single layers. */
    LatencyTarget withRuns(int warmup, int runs);

    /**
     * Times {@code model} a few times and discards the results: the first models a process times
     * run slower (JIT, caches), which would bias whatever is measured first against the rest.
     */
    default void warmUp(byte[] model) throws IOException {
        for (int i = 0; i < 10; i++) time(model);
    }

    /** {@code local} or {@code adb[:SERIAL]}; adb needs the phone build of onnxruntime_perf_test and ignores warm-up (perf_test does its own). */
    static LatencyTarget parse(String target, int threads, int warmup, int runs, Path phoneBenchmark) throws IOException {
        if (target.equals("local")) return new Local(threads, warmup, runs);
        if (target.equals("adb") || target.startsWith("adb:")) {
            if (phoneBenchmark == null) throw new IllegalArgumentException("--target adb needs --phone-benchmark PATH (onnxruntime_perf_test for the phone)");
            AdbLatency adb = new AdbLatency(target.equals("adb") ? null : target.substring(4));
            adb.install(phoneBenchmark);
            return new Adb(adb, threads, runs, Files.createTempDirectory("genre-adb"));
        }
        throw new IllegalArgumentException("--target must be local or adb[:SERIAL], not " + target);
    }

    record Local(int threads, int warmup, int runs) implements LatencyTarget {
        @Override
        public LatencyStats time(byte[] model) throws IOException {
            return LocalLatency.measure(model, threads, warmup, runs);
        }

        @Override
        public LatencyTarget withRuns(int warmup, int runs) {
            return new Local(threads, warmup, runs);
        }

        @Override
        @SuppressWarnings("unchecked")
        public Map<String, Object> describe() {
            return Json.MAPPER.convertValue(DeviceInfo.local(threads), LinkedHashMap.class);
        }
    }

    /** Every model goes through one local file and one remote file, so a profile of thousands of layers leaves one file behind. */
    record Adb(AdbLatency adb, int threads, int runs, Path dir) implements LatencyTarget {
        @Override
        public LatencyStats time(byte[] model) throws IOException {
            Path f = dir.resolve("profile-model.onnx");
            Files.write(f, model);
            return adb.time(f, threads, runs);
        }

        @Override
        public LatencyTarget withRuns(int warmup, int runs) {
            return new Adb(adb, threads, runs, dir);
        }

        @Override
        public Map<String, Object> describe() throws IOException {
            Map<String, Object> d = new LinkedHashMap<>(adb.describe());
            d.put("threads", threads);
            return d;
        }
    }
}
