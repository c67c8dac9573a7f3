package dev.genre.audio.synth;

import dev.genre.io.AtomicFiles;
import dev.genre.run.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes a clips folder in GTZAN's layout, {@code <out>/<genre>/<genre>.NNNNN.wav}, from the
 * synthetic genres. Clips that already exist with the right bytes are not rewritten (their
 * timestamps stay, so a following prep sees them as unchanged).
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

    /** Writes the clips (in parallel, one clip per task) and returns their paths, genre by genre. */
    public static List<Path> write(Path out, Options o, Progress progress) throws IOException {
        List<String> genres = SyntheticGenres.names(o.genres());
        ClipSynthesizer synth = new ClipSynthesizer(RATE);
        List<Path> files = new ArrayList<>();
        List<Callable<Void>> tasks = new ArrayList<>();
        for (String genre : genres) {
            for (int i = 0; i < o.clipsPerGenre(); i++) {
                Path file = out.resolve(genre).resolve(String.format("%s.%05d.wav", genre, i));
                int index = i;
                files.add(file);
                tasks.add(() -> {
                    byte[] bytes = WavWriter.encode(synth.render(genre, o.seed(), index, o.seconds()), RATE);
                    if (!Files.exists(file) || !Arrays.equals(Files.readAllBytes(file), bytes)) AtomicFiles.write(file, bytes);
                    progress.step(genre);
                    return null;
                });
            }
        }
        progress.start("synth", tasks.size());
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        try {
            for (Future<Void> f : pool.invokeAll(tasks)) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("synth interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("synth failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
            progress.finish();
        }
        return files;
    }
}
