package dev.genre.search.spec;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.genre.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Contract 2: the architecture spec, the single source of truth for a network. The DJL builder, the
 * ONNX writer, the parameter and MAC counts and the latency keys all walk its resolved rows
 * ({@link SpecResolver}); nothing else describes a network.
 */
@JsonPropertyOrder({"format", "name", "input", "stem", "blocks", "head", "classes"})
public record NetworkSpec(String format, String name, int[] input, StemSpec stem, List<BlockSpec> blocks, HeadSpec head,
                          int classes) {
    public static final String FORMAT = "genre-arch/1";
    /** The shipped reference specs, by name. */
    public static final List<String> REFERENCES = List.of("mobilenetv3-small", "mobilenetv3-large", "mnasnet-b1");

    public NetworkSpec {
        if (input == null || input.length != 3) throw new IllegalArgumentException("input must be [channels, height, width]");
        if (classes < 1) throw new IllegalArgumentException("classes must be positive");
        blocks = List.copyOf(blocks);
    }

    public NetworkSpec withInput(int channels, int height, int width) {
        return new NetworkSpec(format, name, new int[] {channels, height, width}, stem, blocks, head, classes);
    }

    public NetworkSpec withClasses(int n) {
        return new NetworkSpec(format, name, input, stem, blocks, head, n);
    }

    public static NetworkSpec read(Path file) throws IOException {
        return check(Json.read(file, NetworkSpec.class), file.toString());
    }

    /** A reference name (see {@link #REFERENCES}) or a path to a spec JSON file. */
    public static NetworkSpec load(String nameOrPath) throws IOException {
        Path p = Path.of(nameOrPath);
        if (Files.isRegularFile(p)) return read(p);
        try (InputStream in = NetworkSpec.class.getResourceAsStream(nameOrPath + ".json")) {
            if (in == null) {
                throw new IOException(nameOrPath + ": neither a spec file nor a reference (" + String.join(", ", REFERENCES) + ")");
            }
            return check(Json.MAPPER.readValue(in, NetworkSpec.class), nameOrPath);
        }
    }

    private static NetworkSpec check(NetworkSpec s, String where) throws IOException {
        if (!FORMAT.equals(s.format())) throw new IOException(where + ": format '" + s.format() + "', expected " + FORMAT);
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkSpec n && java.util.Objects.equals(name, n.name) && java.util.Arrays.equals(input, n.input)
                && java.util.Objects.equals(stem, n.stem) && blocks.equals(n.blocks) && java.util.Objects.equals(head, n.head)
                && classes == n.classes && java.util.Objects.equals(format, n.format);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(name, java.util.Arrays.hashCode(input), stem, blocks, head, classes);
    }

    @Override
    public String toString() {
        return name + java.util.Arrays.toString(input);
    }
}
