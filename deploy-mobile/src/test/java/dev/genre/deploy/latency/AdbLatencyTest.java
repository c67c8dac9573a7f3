package dev.genre.deploy.latency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The adb path without a phone: the command lines it runs and the parsing of what they print. */
class AdbLatencyTest {
    /** onnxruntime_perf_test's report, in the format it prints (values from a desktop run of the same tool format). */
    static final String PERF_TEST_OUTPUT = """
            Setting intra_op_num_threads to 1
            Session creation time cost: 0.0412 s
            First inference time cost: 14 ms
            Total inference time cost: 1.8371 s
            Total inference requests: 200
            Average inference time cost: 9.18565 ms
            Total inference run time: 1.84102 s
            Number of inferences per second: 108.634
            Avg CPU usage: 12 %
            Peak working set size: 41537536 bytes
            Avg CPU usage:12
            Peak working set size:41537536
            Runs:200
            Min Latency: 0.00861 s
            Max Latency: 0.0131 s
            P50 Latency: 0.00907 s
            P90 Latency: 0.00968 s
            P95 Latency: 0.0101 s
            P99 Latency: 0.0122 s
            P999 Latency: 0.0131 s
            """;

    @Test
    void buildsTheBenchmarkCommandForOneThread() {
        AdbLatency adb = new AdbLatency("R58M123ABC");
        assertEquals(List.of("adb", "-s", "R58M123ABC", "shell", "/data/local/tmp/onnxruntime_perf_test", "-I", "-m", "times", "-r", "200",
                "-x", "1", "-y", "1", "-e", "cpu", "/data/local/tmp/genre-model-int8.onnx"),
                adb.benchmarkCommand("/data/local/tmp/onnxruntime_perf_test", "/data/local/tmp/genre-model-int8.onnx", 1, 200));
        assertEquals(List.of("adb", "push", "a.onnx", "/data/local/tmp/x"), new AdbLatency(null).adb("push", "a.onnx", "/data/local/tmp/x"));
    }

    @Test
    void parsesPerfTestReportIntoMilliseconds() throws IOException {
        LatencyStats s = AdbLatency.parse(PERF_TEST_OUTPUT);
        assertEquals(200, s.runs());
        assertEquals(9.07, s.p50(), 1e-9);
        assertEquals(9.68, s.p90(), 1e-9);
        assertEquals(12.2, s.p99(), 1e-9);
        assertEquals(9.18565, s.mean(), 1e-9);
        assertEquals(8.61, s.min(), 1e-9);
        assertTrue(Double.isNaN(s.std()), "perf_test prints no standard deviation");
        IOException e = assertThrows(IOException.class, () -> AdbLatency.parse("/system/bin/sh: onnxruntime_perf_test: not found\n"));
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void profileInstallsTheBenchmarkOnceThenPushesAndTimesEachModel() {
        AdbLatency adb = new AdbLatency("R58M123ABC");
        assertEquals(List.of(List.of("adb", "-s", "R58M123ABC", "push", "/opt/perf_test", "/data/local/tmp/onnxruntime_perf_test"),
                List.of("adb", "-s", "R58M123ABC", "shell", "chmod", "755", "/data/local/tmp/onnxruntime_perf_test")),
                adb.installCommands(Path.of("/opt/perf_test")));
        assertEquals(List.of(List.of("adb", "-s", "R58M123ABC", "push", "/tmp/x/profile-model.onnx", "/data/local/tmp/genre-profile-model.onnx"),
                List.of("adb", "-s", "R58M123ABC", "shell", "/data/local/tmp/onnxruntime_perf_test", "-I", "-m", "times", "-r", "40", "-x", "1",
                        "-y", "1", "-e", "cpu", "/data/local/tmp/genre-profile-model.onnx")),
                adb.timeCommands(Path.of("/tmp/x/profile-model.onnx"), 1, 40));
    }

    @Test
    void adbTargetFailsClearlyWithoutBenchmarkOrPhone() {
        var usage = assertThrows(IllegalArgumentException.class, () -> LatencyTarget.parse("adb", 1, 5, 40, null));
        assertTrue(usage.getMessage().contains("--phone-benchmark"), usage.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LatencyTarget.parse("phone", 1, 5, 40, null));
        // No phone is attached here: either adb is missing or it lists no device; both say so.
        IOException e = assertThrows(IOException.class, () -> LatencyTarget.parse("adb:R58M123ABC", 1, 5, 40, Path.of("/nonexistent/perf_test")));
        assertTrue(e.getMessage().contains("adb is not on PATH") || e.getMessage().contains("not attached")
                || e.getMessage().contains("no Android device"), e.getMessage());
    }

    @Test
    void readsAttachedDevicesOnly() {
        String out = "List of devices attached\nR58M123ABC\tdevice\nemulator-5554\toffline\n0123456789\tunauthorized\n\n";
        assertEquals(List.of("R58M123ABC"), AdbLatency.devices(out));
        assertEquals(List.of(), AdbLatency.devices("List of devices attached\n\n"));
    }

    @Test
    void localStatisticsAreMediansAndPercentiles() {
        double[] ms = new double[100];
        for (int i = 0; i < 100; i++) ms[i] = 100 - i; // 1..100 in reverse
        LatencyStats s = LatencyStats.of(ms);
        assertEquals(50, s.p50());
        assertEquals(90, s.p90());
        assertEquals(99, s.p99());
        assertEquals(50.5, s.mean(), 1e-12);
        assertEquals(1, s.min());
    }
}
