package dev.genre.search.cv;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.genre.dataset.ClipEntry;
import dev.genre.dataset.Manifest;
import dev.genre.io.Hashes;
import dev.genre.io.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Song-level stratified k-fold assignment of a prepared dataset's clips ({@code genre-folds/1}),
 * written as JSON so a peer (bench/pytorch_cv.py) trains and tests on exactly the same clips and
 * the same log-mel files. Within a genre, clips are ordered by a hash of (seed, genre, id) and dealt
 * to the folds in turn, each genre continuing where the previous one stopped: a genre with at least
 * as many clips as folds is in every fold, per-genre and total fold sizes differ by at most one,
 * and the assignment depends only on the seed and the clip ids.
 *
 * @param dataset the prepared dataset folder (absolute); clips' {@code mel} paths are relative to it
 */
@JsonPropertyOrder({"format", "dataset", "folds", "seed", "genres", "clips"})
public record Folds(String format, String dataset, int folds, long seed, List<String> genres, List<Clip> clips) {
    public static final String FORMAT = "genre-folds/1";

    /** One clip and its fold, 1 to {@code folds}. */
    @JsonPropertyOrder({"id", "genre", "source", "mel", "fold"})
    public record Clip(String id, String genre, String source, String mel, int fold) {}

    public static Folds stratified(Path datasetDir, Manifest m, int folds, long seed) {
        if (folds < 2) throw new IllegalArgumentException("--folds must be at least 2");
        List<Clip> clips = new ArrayList<>();
        int next = 0;
        for (String genre : m.genres()) {
            List<ClipEntry> ordered = m.clips().stream()
                    .filter(c -> c.genre().equals(genre) && ClipEntry.OK.equals(c.status()))
                    .sorted(Comparator.comparing((ClipEntry c) -> Hashes.sha256(seed + "/" + genre + "/" + c.id())).thenComparing(ClipEntry::id))
                    .toList();
            for (ClipEntry c : ordered) clips.add(new Clip(c.id(), genre, c.source(), c.mel(), next++ % folds + 1));
        }
        if (clips.size() < folds) throw new IllegalArgumentException(clips.size() + " clips cannot fill " + folds + " folds");
        return new Folds(FORMAT, datasetDir.toAbsolutePath().normalize().toString(), folds, seed, m.genres(), List.copyOf(clips));
    }

    /** The clips fold {@code k} tests on. */
    public List<Clip> test(int k) {
        return clips.stream().filter(c -> c.fold() == k).toList();
    }

    /** The clips a model for fold {@code k} trains on: every other fold's. */
    public List<Clip> train(int k) {
        return clips.stream().filter(c -> c.fold() != k).toList();
    }

    public void write(Path file) throws IOException {
        Json.write(file, this);
    }

    public static Folds read(Path file) throws IOException {
        Folds f = Json.read(file, Folds.class);
        if (!FORMAT.equals(f.format())) throw new IOException(file + ": format '" + f.format() + "', expected " + FORMAT);
        return f;
    }
}
