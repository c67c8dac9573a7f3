package dev.genre.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genre.audio.decode.Audio;
import dev.genre.audio.decode.AudioDecoder;
import dev.genre.audio.mel.LogMelSpectrogram;
import dev.genre.audio.mel.MelParams;
import dev.genre.dataset.DatasetPrep;
import dev.genre.dataset.PrepOptions;
import dev.genre.dataset.SegmentDataset;
import dev.genre.dataset.Split;
import dev.genre.dataset.SplitSpec;
import dev.genre.io.Json;
import dev.genre.io.Npy;
import dev.genre.run.Progress;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * {@code genre bench mel}: log-mel throughput of this project (1 thread and all cores) against
 * torchaudio (1 thread) on the same WAV files in the same run, end-to-end {@code genre prep} wall
 * time (fresh and incremental), where the time goes, numerical parity with torchaudio, and the
 * segment reader's rate. Interleaved rounds, medians and per-round ratios; the machines are noisy.
 */
public final class MelBenchmark {
    public record Config(Path data, Path work, int repeats, int threads, Path peerScript, String python) {}

    private final Config cfg;
    private final PrintStream out;
    private final MelParams params = MelParams.defaults();

    public MelBenchmark(Config cfg, PrintStream out) {
        this.cfg = cfg;
        this.out = out;
    }

    public Map<String, Object> run() throws Exception {
        List<Path> files = wavs(cfg.data());
        if (files.isEmpty()) throw new IOException(cfg.data() + ": no .wav clips under <genre>/ folders");
        Files.createDirectories(cfg.work());
        out.printf("mel benchmark: %d clips from %s, %d repeats, %d cores%n", files.size(), cfg.data(), cfg.repeats(), cfg.threads());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("clips", files.size());
        r.put("data", cfg.data().toAbsolutePath().normalize().toString());
        r.put("repeats", cfg.repeats());
        r.put("mel", params);

        LogMelSpectrogram main = new LogMelSpectrogram(params);
        LogMelSpectrogram fallback = LogMelSpectrogram.scalar(params); // what a JVM without the Vector API module gets
        warmUp(files, main);
        warmUp(files, fallback);
        // Interleaved rounds: this VM's speed drifts by up to 1.5x over a minute, so each round times
        // every contender back to back and the ratios are medians of per-round ratios.
        int rounds = cfg.repeats();
        double[] vectorRate = new double[rounds], scalarRate = new double[rounds], multiRate = new double[rounds];
        double[] multiScalarRate = new double[rounds], scalarScaling = new double[rounds];
        double[] peerRate = new double[rounds], vsPeer = new double[rounds], scaling = new double[rounds];
        Map<String, Object> peer = null;
        for (int k = 0; k < rounds; k++) {
            vectorRate[k] = singlePass(files, main);
            scalarRate[k] = singlePass(files, fallback);
            multiRate[k] = allCoresPass(files, () -> new LogMelSpectrogram(params));
            scaling[k] = multiRate[k] / vectorRate[k];
            // The scalar kernel's scaling in the same round tells the machine's limit from the kernel's.
            multiScalarRate[k] = allCoresPass(files, () -> LogMelSpectrogram.scalar(params));
            scalarScaling[k] = multiScalarRate[k] / scalarRate[k];
            Double rate = torchaudioPass(files);
            peerRate[k] = rate == null ? Double.NaN : rate;
            vsPeer[k] = vectorRate[k] / peerRate[k];
            out.printf("round %d/%d: genre %.1f clips/s (%d threads %.1f), scalar kernel %.1f (%d threads %.1f), torchaudio %s%n", k + 1,
                    rounds, vectorRate[k], cfg.threads(), multiRate[k], scalarRate[k], cfg.threads(), multiScalarRate[k],
                    rate == null ? "n/a" : String.format("%.1f", rate));
        }
        Stages single = stages(files, main);
        single.clipsPerSecond = median(vectorRate);
        Stages scalar = stages(files, fallback);
        scalar.clipsPerSecond = median(scalarRate);
        double multi = median(multiRate);
        if (!Double.isNaN(peerRate[0])) {
            peer = parity(files);
            peer.put("clipsPerSecond", median(peerRate));
        }
        double[] prep = prepWallTimes();
        double segmentsPerSecond = segmentRate();

        double ratio = median(vsPeer), scale = median(scaling);
        r.put("rounds", rounds);
        r.put("kernel", main.kernelName());
        r.put("single", single.toMap());
        r.put("singleScalarKernel", scalar.toMap());
        r.put("allCores", Map.of("threads", cfg.threads(), "clipsPerSecond", multi, "scaling", scale));
        r.put("allCoresScalarKernel", Map.of("threads", cfg.threads(), "clipsPerSecond", median(multiScalarRate), "scaling", median(scalarScaling)));
        r.put("torchaudio", peer == null ? Map.of("available", false) : peer);
        r.put("ratioVsTorchaudio", ratio);
        r.put("perRound", Map.of("genre", vectorRate, "scalarKernel", scalarRate, "allCores", multiRate, "allCoresScalarKernel", multiScalarRate,
                "torchaudio", peerRate));
        r.put("prep", Map.of("freshSeconds", prep[0], "incrementalSeconds", prep[1], "threads", cfg.threads()));
        r.put("segmentReader", Map.of("segmentsPerSecond", segmentsPerSecond, "frames", PrepOptions.DEFAULT_SEGMENT_FRAMES));

        out.println();
        out.println("| measure | value |");
        out.println("|---|---|");
        out.printf("| genre log-mel, 1 thread (decode + log-mel), %s | %.1f clips/s |%n", main.kernelName(), single.clipsPerSecond);
        out.printf("| genre log-mel, 1 thread, scalar kernel (JVM without the Vector API module) | %.1f clips/s |%n", scalar.clipsPerSecond);
        out.printf("| genre log-mel, %d threads, scalar kernel | %.1f clips/s (%.2fx scaling) |%n", cfg.threads(), median(multiScalarRate),
                median(scalarScaling));
        out.printf("| genre log-mel, %d threads | %.1f clips/s (%.2fx scaling, median of per-round ratios) |%n", cfg.threads(), multi, scale);
        if (peer != null) {
            out.printf("| torchaudio %s (%s BLAS), 1 thread (decode + log-mel) | %.1f clips/s |%n", peer.get("version"), peer.get("blas"), peer.get("clipsPerSecond"));
            out.printf("| genre / torchaudio, 1 thread (median of per-round ratios) | %.2fx |%n", ratio);
            out.printf("| parity: max abs diff vs torchaudio, all clips | %.5f dB (shapes equal: %s) |%n", peer.get("maxAbsDiffDb"), peer.get("shapesEqual"));
        } else {
            out.println("| torchaudio | not available: install python3-torchaudio (bench/mel.sh does) |");
        }
        out.printf("| genre prep, fresh, %d threads | %.2f s |%n", cfg.threads(), prep[0]);
        out.printf("| genre prep, incremental (nothing changed) | %.2f s |%n", prep[1]);
        out.printf("| segment reader, random 128-frame crops | %.0f segments/s |%n", segmentsPerSecond);
        out.println();
        out.println("where one clip's time goes (1 thread, medians):");
        out.println("| stage | ms/clip | share |");
        out.println("|---|---|---|");
        double total = single.decodeMs + single.frameMs + single.fftMs + single.melMs + single.dbMs;
        boolean vector = main.kernelName().startsWith("vector");
        for (Object[] row : new Object[][] {{"decode (WAV)", single.decodeMs},
                {vector ? "signal into the padded buffer" : "framing + window", single.frameMs},
                {vector ? "gather + window + four-step FFT (8 frames per vector)" : "FFT (JTransforms, double)", single.fftMs},
                {vector ? "real-FFT unpack + power + sparse mel product" : "power + sparse mel product", single.melMs},
                {"power_to_db", single.dbMs}}) {
            out.printf("| %s | %.2f | %.0f%% |%n", row[0], (double) row[1], 100 * (double) row[1] / total);
        }
        return r;
    }

    /**
     * Steady state, as a prep of many clips runs: C2 needs about two passes over 100 clips to finish
     * compiling the kernel (first pass 30 clips/s, third 150 with the vector kernel), so at least
     * 200 clips go through before timing. torchaudio's C++ needs no warm-up.
     */
    private void warmUp(List<Path> files, LogMelSpectrogram lm) throws Exception {
        AudioDecoder dec = new AudioDecoder(params.sampleRate());
        int clips = Math.max(200, files.size());
        for (int i = 0; i < clips; i++) lm.compute(dec.decode(files.get(i % files.size())).samples());
    }

    private static final class Stages {
        double clipsPerSecond, decodeMs, frameMs, fftMs, melMs, dbMs;

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("clipsPerSecond", clipsPerSecond);
            m.put("msPerClip", Map.of("decode", decodeMs, "framing", frameMs, "fft", fftMs, "melProduct", melMs, "db", dbMs));
            return m;
        }
    }

    /** One pass over all clips on this thread, decode + log-mel; clips per second. */
    private double singlePass(List<Path> files, LogMelSpectrogram lm) throws Exception {
        AudioDecoder dec = new AudioDecoder(params.sampleRate());
        long t0 = System.nanoTime();
        for (Path f : files) lm.compute(dec.decode(f).samples());
        return files.size() / ((System.nanoTime() - t0) / 1e9);
    }

    /** Where one clip's time goes: per-stage medians over the clips. */
    private Stages stages(List<Path> files, LogMelSpectrogram lm) throws Exception {
        AudioDecoder dec = new AudioDecoder(params.sampleRate());
        double[][] stages = new double[5][files.size()];
        for (int f = 0; f < files.size(); f++) {
            long t0 = System.nanoTime();
            Audio a = dec.decode(files.get(f));
            stages[0][f] = (System.nanoTime() - t0) / 1e6;
            LogMelSpectrogram.Profile p = lm.profile(a.samples());
            stages[1][f] = p.frameNanos() / 1e6;
            stages[2][f] = p.fftNanos() / 1e6;
            stages[3][f] = p.melNanos() / 1e6;
            stages[4][f] = p.dbNanos() / 1e6;
        }
        Stages s = new Stages();
        s.decodeMs = median(stages[0]);
        s.frameMs = median(stages[1]);
        s.fftMs = median(stages[2]);
        s.melMs = median(stages[3]);
        s.dbMs = median(stages[4]);
        return s;
    }

    /** One pass over all clips across a pool of one worker per core; clips per second. */
    private double allCoresPass(List<Path> files, java.util.function.Supplier<LogMelSpectrogram> kernel) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(cfg.threads());
        ThreadLocal<LogMelSpectrogram> lm = ThreadLocal.withInitial(kernel);
        ThreadLocal<AudioDecoder> dec = ThreadLocal.withInitial(() -> new AudioDecoder(params.sampleRate()));
        try {
            long t0 = System.nanoTime();
            List<Future<?>> fs = new ArrayList<>();
            for (Path f : files) fs.add(pool.submit(() -> lm.get().compute(dec.get().decode(f).samples())));
            for (Future<?> f : fs) f.get();
            return files.size() / ((System.nanoTime() - t0) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    private JsonNode peerRun;

    /** One torchaudio pass over the same files (decode + log-mel, 1 thread): clips per second, or null when unavailable. */
    private Double torchaudioPass(List<Path> files) throws Exception {
        if (cfg.peerScript() == null || !Files.isRegularFile(cfg.peerScript())) {
            out.println("torchaudio peer: script not found, skipped");
            return null;
        }
        Path refDir = cfg.work().resolve("torchaudio");
        Path json = cfg.work().resolve("torchaudio.json");
        List<String> cmd = new ArrayList<>(List.of(cfg.python(), cfg.peerScript().toString(), "--out", refDir.toString(),
                "--json", json.toString(), "--threads", "1", "--repeat", "1"));
        files.forEach(f -> cmd.add(f.toString()));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            out.println("torchaudio peer: cannot run " + cfg.python() + " (" + e.getMessage() + "), skipped");
            return null;
        }
        String log = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            out.println("torchaudio peer failed, skipped: " + log.strip().lines().reduce((a, b) -> b).orElse(""));
            return null;
        }
        peerRun = Json.MAPPER.readTree(json.toFile());
        double total = 0;
        for (JsonNode c : peerRun.get("clips")) total += c.get("decode_s").asDouble() + c.get("logmel_s").asDouble();
        return files.size() / total;
    }

    /** Our spectrograms against the last torchaudio pass's, on every clip. */
    private Map<String, Object> parity(List<Path> files) throws Exception {
        Path refDir = cfg.work().resolve("torchaudio");
        JsonNode j = peerRun;
        // Parity on every clip: same shape, max |ours - torchaudio| in dB.
        AudioDecoder dec = new AudioDecoder(params.sampleRate());
        LogMelSpectrogram lm = new LogMelSpectrogram(params);
        double maxDiff = 0;
        String worst = null;
        boolean shapes = true;
        for (Path f : files) {
            String stem = f.getFileName().toString().replaceFirst("\\.[^.]+$", "");
            Npy.Matrix ref = Npy.read(refDir.resolve(stem + ".npy"));
            Npy.Matrix ours = lm.compute(dec.decode(f).samples());
            if (ref.rows() != ours.rows() || ref.cols() != ours.cols()) {
                shapes = false;
                out.printf("parity: %s shape %dx%d, torchaudio %dx%d%n", f, ours.rows(), ours.cols(), ref.rows(), ref.cols());
                continue;
            }
            for (int i = 0; i < ref.data().length; i++) {
                double d = Math.abs(ref.data()[i] - ours.data()[i]);
                if (d > maxDiff) {
                    maxDiff = d;
                    worst = f.getFileName().toString();
                }
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", j.get("torchaudio").asText());
        m.put("torch", j.get("torch").asText());
        m.put("blas", j.path("blas").asText("unknown"));
        m.put("threads", 1);
        m.put("maxAbsDiffDb", maxDiff);
        m.put("worstClip", worst);
        m.put("shapesEqual", shapes);
        return m;
    }

    /** genre prep into a fresh folder, then again with nothing changed. */
    private double[] prepWallTimes() throws IOException {
        Path ds = cfg.work().resolve("dataset");
        dev.genre.io.AtomicFiles.deleteTree(ds);
        PrepOptions o = new PrepOptions(params, SplitSpec.parse("0.8,0.1,0.1", 0), PrepOptions.DEFAULT_SEGMENT_FRAMES, cfg.threads());
        long t0 = System.nanoTime();
        new DatasetPrep(o, Progress.none(), out).run(cfg.data(), ds);
        double fresh = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        new DatasetPrep(o, Progress.none(), out).run(cfg.data(), ds);
        return new double[] {fresh, (System.nanoTime() - t0) / 1e9};
    }

    private double segmentRate() throws IOException {
        SegmentDataset train = SegmentDataset.load(cfg.work().resolve("dataset"), Split.TRAIN, PrepOptions.DEFAULT_SEGMENT_FRAMES, 64);
        int batch = 32, per = train.nMels() * train.frames();
        float[] x = new float[batch * per];
        SplittableRandom rng = new SplittableRandom(0);
        int n = 0;
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < 1_000_000_000L) {
            for (int b = 0; b < batch; b++) train.copyRandomCrop(rng.nextInt(train.size()), rng, x, b * per);
            n += batch;
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    static List<Path> wavs(Path data) throws IOException {
        try (Stream<Path> s = Files.walk(data, 2)) {
            return s.filter(p -> p.getNameCount() - data.getNameCount() == 2).filter(p -> p.toString().endsWith(".wav")).sorted().toList();
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
