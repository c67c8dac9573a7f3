package dev.genre.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's resident set size and the machine's memory, from Linux's /proc (native allocations included). */
public final class ResidentMemory {
    private ResidentMemory() {}

    /** Bytes resident now, or -1 where /proc is not available. */
    public static long bytes() {
        return bytesOf(Path.of("/proc/self/status"), "VmRSS:");
    }

    /** Physical memory of the machine in bytes, or -1 when unknown. */
    public static long physical() {
        return bytesOf(Path.of("/proc/meminfo"), "MemTotal:");
    }

    /** The value of a "Key: value kB" line in bytes, or -1 when it is not there. */
    private static long bytesOf(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (IOException | NumberFormatException | SecurityException e) {
            // not Linux, or /proc unreadable
        }
        return -1;
    }
}
