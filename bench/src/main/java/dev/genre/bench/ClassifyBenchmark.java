package dev.genre.bench;

import dev.genre.audio.synth.ClipSynthesizer;
import dev.genre.audio.synth.SyntheticGenres;
import dev.genre.audio.synth.WavWriter;
import dev.genre.deploy.classify.Classifier;
import dev.genre.deploy.latency.DeviceInfo;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * How long {@code genre classify} takes, as a user runs it: cold (a new launcher and JVM per call,
 * wall time from the shell's view) and warm (the same classifier in one JVM, after warm-up), for a
 * 30 s 44.1 kHz stereo MP3, the same as WAV, and a folder of 50 clips of 30 s. Medians of
 * {@code repeats} runs, with the spread. Inputs are the project's own synthetic music; the MP3 is
 * encoded by ffmpeg, and its row is skipped where ffmpeg is not installed.
 */
public final class ClassifyBenchmark {
    public record Config(Path launcher, Path model, Path work, int repeats) {}

    public record Row(String input, String file, int clips, double coldMedianS, double coldMinS, double coldMaxS, double warmMedianMs,
                      double coldClipsPerS, double warmClipsPerS) {}

    private static final double SECONDS = 30;
    private static final int FOLDER_CLIPS = 50;

    private final Config cfg;
    private final PrintStream out;

    public ClassifyBenchmark(Config cfg, PrintStream out) {
        this.cfg = cfg;
        this.out = out;
    }

    public Map<String, Object> run() throws Exception {
        Files.createDirectories(cfg.work());
        Path wav = cfg.work().resolve("song-44k-stereo.wav"), mp3 = cfg.work().resolve("song-44k-stereo.mp3"), folder = cfg.work().resolve("clips");
        writeStereoSong(wav);
        boolean haveMp3 = encodeMp3(wav, mp3);
        writeFolder(folder);

        List<Row> rows = new ArrayList<>();
        out.printf("| input | clips | cold median (min-max), s | warm median, ms | cold clips/s | warm clips/s |%n|---|---|---|---|---|---|%n");
        for (Path input : haveMp3 ? List.of(mp3, wav, folder) : List.of(wav, folder)) {
            Row r = measure(input);
            rows.add(r);
            out.printf("| %s | %d | %.2f (%.2f-%.2f) | %.0f | %.1f | %.1f |%n", r.input(), r.clips(), r.coldMedianS(), r.coldMinS(), r.coldMaxS(),
                    r.warmMedianMs(), r.coldClipsPerS(), r.warmClipsPerS());
        }
        if (!haveMp3) out.println("(no MP3 row: ffmpeg, which encodes the test MP3, is not installed; apt-get install ffmpeg)");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("device", DeviceInfo.local(1));
        result.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        result.put("model", cfg.model().toAbsolutePath().normalize().toString());
        result.put("repeats", cfg.repeats());
        result.put("cold", "a new launcher and JVM per call (with the class archive it keeps after its first classify), wall time");
        result.put("warm", "one JVM, the same classifier, after 2 warm-up calls per input");
        result.put("rows", rows);
        return result;
    }

    private Row measure(Path input) throws Exception {
        List<Path> files = Files.isDirectory(input) ? clips(input) : List.of(input);
        String name = Files.isDirectory(input) ? "folder of " + files.size() + " clips (30 s, 22.05 kHz mono WAV)"
                : input.getFileName().toString().endsWith(".mp3") ? "30 s MP3, 44.1 kHz stereo, 192 kb/s" : "30 s WAV, 44.1 kHz stereo";
        cold(input); // untimed: page cache, and the launcher's class archive on its first classify
        double[] cold = new double[cfg.repeats()];
        for (int i = 0; i < cold.length; i++) cold[i] = cold(input);
        double[] warm = new double[cfg.repeats()];
        try (Classifier c = Classifier.open(cfg.model(), true)) {
            for (int i = 0; i < 2; i++) for (Path f : files) c.classify(f);
            for (int i = 0; i < warm.length; i++) {
                long t0 = System.nanoTime();
                for (Path f : files) c.classify(f);
                warm[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        double coldMedian = median(cold), warmMedian = median(warm);
        return new Row(name, input.toString(), files.size(), coldMedian, Arrays.stream(cold).min().orElse(0), Arrays.stream(cold).max().orElse(0),
                warmMedian, files.size() / coldMedian, files.size() / (warmMedian / 1000));
    }

    /** One {@code genre classify} from a new process, in seconds. */
    private double cold(Path input) throws IOException, InterruptedException {
        List<String> cmd = List.of(cfg.launcher().toString(), "classify", input.toString(), "--model", cfg.model().toString());
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + ": did not finish in 5 minutes");
        }
        double s = (System.nanoTime() - t0) / 1e9;
        if (p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + ": exit code " + p.exitValue());
        return s;
    }

    /** 30 s of the synthesizer's jazz at 44.1 kHz, a different take on each channel. */
    private static void writeStereoSong(Path file) throws IOException {
        if (Files.isRegularFile(file)) return;
        ClipSynthesizer synth = new ClipSynthesizer(44100);
        short[] left = synth.render("jazz", 7, 0, SECONDS), right = synth.render("jazz", 7, 1, SECONDS);
        int n = Math.min(left.length, right.length);
        short[] pcm = new short[2 * n];
        for (int i = 0; i < n; i++) {
            pcm[2 * i] = left[i];
            pcm[2 * i + 1] = right[i];
        }
        WavWriter.write(file, pcm, 44100, 2);
    }

    private static boolean encodeMp3(Path wav, Path mp3) throws IOException, InterruptedException {
        if (Files.isRegularFile(mp3)) return true;
        Path ffmpeg = null;
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "ffmpeg"))) ffmpeg = Path.of(d, "ffmpeg");
        }
        if (ffmpeg == null) return false;
        Path tmp = mp3.resolveSibling(mp3.getFileName() + ".tmp.mp3");
        Process p = new ProcessBuilder(ffmpeg.toString(), "-v", "error", "-y", "-i", wav.toString(), "-b:a", "192k", tmp.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
        if (p.waitFor() != 0) throw new IOException("ffmpeg could not encode " + wav);
        Files.move(tmp, mp3, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return true;
    }

    /** 50 clips of 30 s at GTZAN's format (22.05 kHz mono), the synthesizer's genres in turn. */
    private static void writeFolder(Path dir) throws IOException {
        Files.createDirectories(dir);
        ClipSynthesizer synth = new ClipSynthesizer(22050);
        List<String> genres = SyntheticGenres.names(SyntheticGenres.MAX);
        for (int i = 0; i < FOLDER_CLIPS; i++) {
            Path f = dir.resolve(String.format("clip-%02d.wav", i));
            if (!Files.isRegularFile(f)) WavWriter.write(f, synth.render(genres.get(i % genres.size()), 3, i, SECONDS), 22050);
        }
    }

    private static List<Path> clips(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".wav")).sorted().toList();
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
