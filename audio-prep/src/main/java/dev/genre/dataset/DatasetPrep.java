package dev.genre.dataset;

import dev.genre.audio.decode.Audio;
import dev.genre.audio.decode.AudioDecodeException;
import dev.genre.audio.decode.AudioDecoder;
import dev.genre.audio.mel.LogMelSpectrogram;
import dev.genre.io.AtomicFiles;
import dev.genre.io.Hashes;
import dev.genre.io.Npy;
import dev.genre.run.Progress;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * {@code genre prep}: a clips folder to a dataset folder, incrementally.
 *
 * <p>A clip is recomputed only when its bytes (sha256) or the mel parameters changed; outputs of
 * clips that disappeared are deleted. Each .npy is written atomically and the manifest is rewritten
 * (atomically) as clips complete, listing only finished files, so a killed run leaves a consistent
 * dataset and the next run picks up where it stopped. Bad files are reported one line each and
 * listed as rejects; the rest of the batch goes on.
 */
public final class DatasetPrep {
    public static final String MELS = "mels";
    private static final long CHECKPOINT_MILLIS = 2_000;
    /** Peak at or below one 16-bit step (plus dither) counts as digital silence. */
    private static final float SILENCE_PEAK = 1.5f / 32768;

    private final PrepOptions options;
    private final Progress progress;
    private final PrintStream errors;

    public DatasetPrep(PrepOptions options, Progress progress, PrintStream errors) {
        this.options = options;
        this.progress = progress;
        this.errors = errors;
    }

    public Manifest run(Path input, Path output) throws IOException {
        java.time.Instant started = java.time.Instant.now();
        List<ClipSource> sources = ClipSource.scan(input);
        Files.createDirectories(output);
        sweepTemporaries(output);
        Manifest old = readPrevious(output);
        boolean sameMel = old != null && old.mel().equals(options.mel()) && old.segmentFrames() == options.segmentFrames();
        boolean sameSplit = old != null && old.split().equals(options.split());
        Map<String, ClipEntry> previous = new HashMap<>();
        if (old != null) for (ClipEntry c : old.clips()) previous.put(key(c.genre(), c.id()), c);

        // Classify every source: unchanged (reuse its .npy) or pending (new, changed, or not audio at all).
        Set<String> keptKeys = new HashSet<>();
        List<Pending> pending = new ArrayList<>();
        for (ClipSource src : sources) {
            if (!src.looksLikeAudio()) { // decoding names the format problem; no need to hash it
                pending.add(new Pending(src, null));
                continue;
            }
            String sha = Hashes.sha256(src.file());
            ClipEntry prev = previous.get(key(src.genre(), src.id()));
            if (sameMel && prev != null && prev.sha256().equals(sha) && prev.source().equals(src.relative())
                    && Files.isRegularFile(output.resolve(prev.mel()))) {
                keptKeys.add(key(src.genre(), src.id()));
            } else {
                pending.add(new Pending(src, sha));
            }
        }

        // Splits: known clips keep theirs; new ones are assigned now, stratified per genre.
        Map<String, Split> splits = assignSplits(sources, previous, sameSplit);
        List<ClipEntry> done = new ArrayList<>();
        for (String k : keptKeys) done.add(withSplit(previous.get(k), splits.get(k)));
        int unchanged = done.size();
        List<Reject> rejects = new ArrayList<>();

        // Outputs of clips that are gone or about to be recomputed leave the manifest first, then disk.
        int removed = 0;
        Set<String> present = new HashSet<>();
        for (ClipSource s : sources) present.add(key(s.genre(), s.id()));
        for (ClipEntry prev : previous.values()) if (!present.contains(key(prev.genre(), prev.id()))) removed++;
        List<String> genres = sources.stream().map(ClipSource::genre).distinct().sorted().toList();
        Checkpoint checkpoint = new Checkpoint(output, input, genres, done, rejects);
        checkpoint.write(false, null);
        deleteUnlisted(output, done);

        compute(pending, splits, output, checkpoint);
        // Counted after the fact: a changed clip that is now rejected counts only as a reject.
        int added = 0, changed = 0;
        for (ClipEntry c : checkpoint.clips) {
            String k = key(c.genre(), c.id());
            if (keptKeys.contains(k)) continue;
            if (previous.containsKey(k)) changed++;
            else added++;
        }
        Manifest.Summary summary = new Manifest.Summary(added, changed, unchanged, removed, rejects.size());
        Manifest m = checkpoint.write(true, summary);
        deleteUnlisted(output, m.clips());
        writeRunRecord(output, input, m, started);
        return m;
    }

    private void writeRunRecord(Path output, Path input, Manifest m, java.time.Instant started) throws IOException {
        StringBuilder inputs = new StringBuilder();
        for (ClipEntry c : m.clips()) inputs.append(c.source()).append(' ').append(c.sha256()).append('\n');
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("input", input.toAbsolutePath().normalize().toString());
        params.put("output", output.toAbsolutePath().normalize().toString());
        params.put("mel", options.mel());
        params.put("split", options.split());
        params.put("segmentFrames", options.segmentFrames());
        params.put("threads", options.threads());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("summary", m.summary());
        result.put("clips", m.clips().size());
        result.put("rejects", m.rejects().size());
        dev.genre.run.RunRecord.of("prep", params, options.split().seed(),
                Map.of("clips.sha256", Hashes.sha256(inputs.toString())), started, result).writeTo(output);
    }

    private Manifest readPrevious(Path output) {
        if (!Files.isRegularFile(output.resolve(Manifest.FILE))) return null;
        try {
            return Manifest.read(output);
        } catch (IOException e) {
            errors.println(output.resolve(Manifest.FILE) + ": unreadable previous manifest, rebuilding the dataset (" + e.getMessage() + ")");
            return null;
        }
    }

    private Map<String, Split> assignSplits(List<ClipSource> sources, Map<String, ClipEntry> previous, boolean sameSplit) {
        SplitAssigner assigner = new SplitAssigner(options.split());
        Map<String, Split> out = new HashMap<>();
        Map<String, List<ClipSource>> byGenre = new LinkedHashMap<>();
        for (ClipSource s : sources) if (s.looksLikeAudio()) byGenre.computeIfAbsent(s.genre(), g -> new ArrayList<>()).add(s);
        for (Map.Entry<String, List<ClipSource>> g : byGenre.entrySet()) {
            Map<String, Split> existing = new HashMap<>();
            List<String> fresh = new ArrayList<>();
            for (ClipSource s : g.getValue()) {
                ClipEntry prev = previous.get(key(s.genre(), s.id()));
                // A changed clip keeps its split: it is the same song, re-encoded or trimmed.
                if (sameSplit && prev != null) existing.put(s.id(), prev.split());
                else fresh.add(s.id());
            }
            out.putAll(prefix(g.getKey(), existing));
            out.putAll(prefix(g.getKey(), assigner.assign(g.getKey(), existing, fresh)));
        }
        return out;
    }

    private static Map<String, Split> prefix(String genre, Map<String, Split> m) {
        Map<String, Split> out = new HashMap<>();
        m.forEach((id, s) -> out.put(key(genre, id), s));
        return out;
    }

    /** A file to decode; {@code sha} is null for files whose extension is not audio. */
    private record Pending(ClipSource src, String sha) {}

    private void compute(List<Pending> pending, Map<String, Split> splits, Path output, Checkpoint checkpoint) throws IOException {
        if (pending.isEmpty()) return;
        int threads = Math.min(options.threads(), pending.size());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "prep");
            t.setDaemon(true);
            return t;
        });
        ThreadLocal<Worker> workers = ThreadLocal.withInitial(Worker::new);
        ExecutorCompletionService<Outcome> done = new ExecutorCompletionService<>(pool);
        for (Pending p : pending) {
            done.submit(() -> workers.get().process(p, splits.get(key(p.src().genre(), p.src().id())), output));
        }
        progress.start("prep", pending.size());
        try {
            for (int i = 0; i < pending.size(); i++) {
                Outcome o = done.take().get();
                if (o.entry() != null) {
                    checkpoint.add(o.entry());
                } else {
                    errors.println(o.file() + ": " + o.reject().reason());
                    checkpoint.reject(o.reject());
                }
                progress.step(o.entry() != null ? o.entry().id() : "rejected");
                checkpoint.maybeWrite();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("prep interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof UncheckedIOException u) throw u.getCause();
            throw new IOException("prep failed: " + c, c);
        } finally {
            progress.finish();
            pool.shutdownNow();
        }
    }

    private record Outcome(Path file, ClipEntry entry, Reject reject) {}

    /** Per-thread decoder and spectrogram (they own scratch buffers). */
    private final class Worker {
        final AudioDecoder decoder = new AudioDecoder(options.mel().sampleRate());
        final LogMelSpectrogram logMel = new LogMelSpectrogram(options.mel());

        Outcome process(Pending p, Split split, Path output) {
            ClipSource src = p.src();
            try {
                Audio audio = decoder.decode(src.file());
                int frames = options.mel().frames(audio.samples().length);
                if (frames < options.segmentFrames()) {
                    return reject(src, String.format("too short: %.2f s gives %d frames, one segment needs %d (%.2f s)",
                            audio.seconds(), frames, options.segmentFrames(), options.mel().secondsOf(options.segmentFrames())));
                }
                if (audio.peak() <= SILENCE_PEAK) return reject(src, "silent: every sample is (digital) zero");
                Npy.Matrix mel = logMel.compute(audio.samples());
                String rel = MELS + "/" + src.genre() + "/" + src.id() + ".npy";
                Npy.write(output.resolve(rel), mel);
                return new Outcome(src.file(), new ClipEntry(src.id(), src.genre(), src.relative(), p.sha(), audio.seconds(), mel.cols(),
                        split, ClipEntry.OK, rel), null);
            } catch (AudioDecodeException e) {
                return reject(src, e.problem());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private Outcome reject(ClipSource src, String reason) {
            return new Outcome(src.file(), null, new Reject(src.relative(), src.genre(), reason));
        }
    }

    /** The manifest as it grows; rewritten atomically every few seconds and at the end. */
    private final class Checkpoint {
        final Path output;
        final String input;
        final List<String> genres;
        final List<ClipEntry> clips;
        final List<Reject> rejects;
        long lastWrite = System.currentTimeMillis();

        Checkpoint(Path output, Path input, List<String> genres, List<ClipEntry> clips, List<Reject> rejects) {
            this.output = output;
            this.input = input.toAbsolutePath().normalize().toString();
            this.genres = genres;
            this.clips = new ArrayList<>(clips);
            this.rejects = rejects;
        }

        void add(ClipEntry e) {
            clips.add(e);
        }

        void reject(Reject r) {
            rejects.add(r);
        }

        void maybeWrite() throws IOException {
            if (System.currentTimeMillis() - lastWrite >= CHECKPOINT_MILLIS) write(false, null);
        }

        Manifest write(boolean complete, Manifest.Summary summary) throws IOException {
            List<ClipEntry> sorted = clips.stream().sorted(Comparator.comparing(ClipEntry::genre).thenComparing(ClipEntry::id)).toList();
            List<Reject> sortedRejects = rejects.stream().sorted(Comparator.comparing(Reject::source)).toList();
            Manifest m = new Manifest(Manifest.FORMAT, complete, input, options.mel(), options.segmentFrames(), options.split(),
                    genres, sorted, sortedRejects, summary);
            m.write(output);
            lastWrite = System.currentTimeMillis();
            return m;
        }
    }

    private static ClipEntry withSplit(ClipEntry c, Split split) {
        return new ClipEntry(c.id(), c.genre(), c.source(), c.sha256(), c.seconds(), c.frames(), split, c.status(), c.mel());
    }

    /** Removes .npy files the manifest does not list (stale, removed or from a killed run). */
    private static void deleteUnlisted(Path output, List<ClipEntry> listed) throws IOException {
        Path mels = output.resolve(MELS);
        if (!Files.isDirectory(mels)) return;
        Set<Path> keep = new HashSet<>();
        for (ClipEntry c : listed) keep.add(output.resolve(c.mel()).normalize());
        try (Stream<Path> s = Files.walk(mels)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) if (!keep.contains(p.normalize())) Files.deleteIfExists(p);
        }
        try (Stream<Path> s = Files.walk(mels)) {
            for (Path d : s.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                if (!d.equals(mels)) {
                    try (Stream<Path> c = Files.list(d)) {
                        if (c.findAny().isEmpty()) Files.delete(d);
                    }
                }
            }
        }
    }

    private static void sweepTemporaries(Path output) throws IOException {
        try (Stream<Path> s = Files.walk(output)) {
            for (Path p : s.filter(Files::isRegularFile).filter(AtomicFiles::isTemporary).toList()) Files.deleteIfExists(p);
        }
    }

    private static String key(String genre, String id) {
        return genre + "/" + id;
    }
}
