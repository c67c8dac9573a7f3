package dev.genre.dataset;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.genre.audio.mel.MelParams;
import dev.genre.io.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Contract 1: a prepared dataset. {@code complete} is false in the checkpoints prep writes while it
 * runs; every clip listed, complete or not, has its .npy fully written.
 */
@JsonPropertyOrder({"format", "complete", "input", "mel", "segmentFrames", "split", "genres", "clips", "rejects", "summary"})
public record Manifest(
        String format,
        boolean complete,
        String input,
        MelParams mel,
        int segmentFrames,
        SplitSpec split,
        List<String> genres,
        List<ClipEntry> clips,
        List<Reject> rejects,
        Summary summary) {

    public static final String FORMAT = "genre-dataset/1";
    public static final String FILE = "manifest.json";

    /** How this run changed the dataset. */
    public record Summary(int added, int changed, int unchanged, int removed, int rejected) {
        public int processed() {
            return added + changed;
        }
    }

    public static Manifest read(Path datasetDir) throws IOException {
        Path file = datasetDir.resolve(FILE);
        Manifest m = Json.read(file, Manifest.class);
        if (!FORMAT.equals(m.format())) throw new IOException(file + ": format '" + m.format() + "', expected " + FORMAT);
        return m;
    }

    public void write(Path datasetDir) throws IOException {
        Json.write(datasetDir.resolve(FILE), this);
    }

    public int labelOf(String genre) {
        int i = genres.indexOf(genre);
        if (i < 0) throw new IllegalArgumentException("genre " + genre + " is not in the manifest");
        return i;
    }
}
