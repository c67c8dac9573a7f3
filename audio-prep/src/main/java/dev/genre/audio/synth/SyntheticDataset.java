package dev.genre.audio.synth;

import dev.genre.run.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a clips folder in GTZAN's layout, {@code <out>/<genre>/<genre>.NNNNN.wav}, from the
 * synthetic genres. Clips that already exist with the right bytes are left alone, so a re-run is
 * cheap and an interrupted run resumes.
 */
public final class SyntheticDataset {
    public static final int RATE = 22050;

    public record Options(int genres, int clipsPerGenre, double seconds, long seed) {
        public Options {
            if (clipsPerGenre < 1) throw new IllegalArgumentException("--clips-per-genre must be at least 1");
            if (!(seconds >= 1 && seconds <= 600)) throw new IllegalArgumentException("--seconds must be between 1 and 600");
            SyntheticGenres.names(genres); // validates the count
        }
    }

    private SyntheticDataset() {}

    /** Writes the clips and returns their paths, genre by genre. */
    public static List<Path> write(Path out, Options o, Progress progress) throws IOException {
        List<String> genres = SyntheticGenres.names(o.genres());
        ClipSynthesizer synth = new ClipSynthesizer(RATE);
        List<Path> written = new ArrayList<>();
        progress.start("synth", (long) genres.size() * o.clipsPerGenre());
        for (String genre : genres) {
            for (int i = 0; i < o.clipsPerGenre(); i++) {
                Path file = out.resolve(genre).resolve(String.format("%s.%05d.wav", genre, i));
                byte[] bytes = WavWriter.encode(synth.render(genre, o.seed(), i, o.seconds()), RATE);
                if (!Files.exists(file) || !java.util.Arrays.equals(Files.readAllBytes(file), bytes)) {
                    dev.genre.io.AtomicFiles.write(file, bytes);
                }
                written.add(file);
                progress.step(genre);
            }
        }
        progress.finish();
        return written;
    }
}
