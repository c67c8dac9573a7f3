package dev.genre.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.genre.io.AtomicFiles;
import dev.genre.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What a run needs to be reproduced: its command and parameters, seed, the versions of this
 * project, the JVM and the libraries that shape the numbers, and the hashes of its inputs. Every
 * command that writes outputs writes one next to them as {@code run.json}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"format", "command", "parameters", "settings", "seed", "versions", "inputs", "started", "finished", "result"})
public record RunRecord(
        String format,
        String command,
        Map<String, Object> parameters,
        Map<String, String> settings,
        Long seed,
        Map<String, String> versions,
        Map<String, String> inputs,
        String started,
        String finished,
        Map<String, Object> result) {

    public static final String FORMAT = "genre-run/1";
    public static final String FILE = "run.json";

    public static RunRecord of(String command, Map<String, Object> parameters, Long seed, Map<String, String> inputs,
                               Instant started, Map<String, Object> result) {
        return new RunRecord(FORMAT, command, parameters, currentSettings(), seed, currentVersions(), inputs, started.toString(),
                Instant.now().toString(), result);
    }

    public void writeTo(Path dir) throws IOException {
        writeFile(dir.resolve(FILE));
    }

    /** For outputs that share a folder (benchmarks): {@code NAME.run.json} next to {@code NAME.json}. */
    public void writeFile(Path file) throws IOException {
        AtomicFiles.write(file, Json.pretty(this));
    }

    /**
     * The {@code -Dgenre.*} switches this JVM runs with (experiment settings such as
     * {@code genre.init=torchvision}); they change the numbers, so a run records them. Null when none.
     */
    static Map<String, String> currentSettings() {
        Map<String, String> m = new TreeMap<>();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("genre.")).forEach(k -> m.put(k, System.getProperty(k)));
        return m.isEmpty() ? null : m;
    }

    /** This project's version and those of the JVM and libraries, from the build's own record. */
    public static Map<String, String> currentVersions() {
        Map<String, String> v = new LinkedHashMap<>();
        Properties p = new Properties();
        try (InputStream in = RunRecord.class.getResourceAsStream("versions.properties")) {
            if (in != null) p.load(in);
        } catch (IOException ignored) {
            // versions are informative; a missing resource must not fail a run
        }
        v.put("genre", p.getProperty("genre", "unknown"));
        v.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        v.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        p.stringPropertyNames().stream().filter(k -> !k.equals("genre")).sorted().forEach(k -> v.put(k, p.getProperty(k)));
        return v;
    }
}
