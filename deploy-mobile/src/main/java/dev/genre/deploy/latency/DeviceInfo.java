package dev.genre.deploy.latency;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a latency was measured on: the target, its CPU and whether it has VNNI (ONNX Runtime's int8
 * kernels differ with and without it), core count, OS and ONNX Runtime version.
 */
public record DeviceInfo(String target, String cpu, boolean vnni, int cores, String os, String onnxRuntime, int threads) {
    public static DeviceInfo local(int threads) {
        String cpu = null;
        boolean vnni = false;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (cpu == null && line.startsWith("model name")) cpu = line.substring(line.indexOf(':') + 1).trim();
                if (line.startsWith("flags")) vnni |= line.contains(" avx512_vnni") || line.contains(" avx_vnni");
            }
        } catch (IOException e) {
            cpu = System.getProperty("os.arch");
        }
        return new DeviceInfo("local", cpu == null ? "unknown" : cpu, vnni, Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion(), threads);
    }
}
