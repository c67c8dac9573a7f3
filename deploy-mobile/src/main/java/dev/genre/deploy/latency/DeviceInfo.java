package dev.genre.deploy.latency;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a latency was measured on: the target, its CPU, core count, OS and ONNX Runtime version. */
public record DeviceInfo(String target, String cpu, int cores, String os, String onnxRuntime, int threads) {
    public static DeviceInfo local(int threads) {
        String cpu = "unknown";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException e) {
            cpu = System.getProperty("os.arch");
        }
        return new DeviceInfo("local", cpu, Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion(), threads);
    }
}
