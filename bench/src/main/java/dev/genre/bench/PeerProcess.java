package dev.genre.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genre.io.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** A peer benchmark that answers one JSON line per command line (see bench/pytorch_mobilenet.py). */
final class PeerProcess implements AutoCloseable {
    private final Process process;
    private final BufferedReader in;
    private final Writer commands;
    final JsonNode description;

    PeerProcess(List<String> command, Path log) throws IOException {
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.to(log.toFile())).start();
        in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        commands = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        description = read("start", log);
    }

    JsonNode request(String command) throws IOException {
        commands.write(command + "\n");
        commands.flush();
        JsonNode r = read(command, null);
        if (r.has("error")) throw new IOException("peer: " + r.get("error").asText());
        return r;
    }

    private JsonNode read(String command, Path log) throws IOException {
        String line = in.readLine();
        if (line == null) throw new IOException("peer exited during '" + command + "'" + (log == null ? "" : "; see " + log));
        return Json.MAPPER.readTree(line);
    }

    @Override
    public void close() throws IOException {
        try {
            commands.write("quit\n");
            commands.flush();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
