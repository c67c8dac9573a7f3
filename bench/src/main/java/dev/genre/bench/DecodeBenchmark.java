package dev.genre.bench;

import dev.genre.audio.decode.Audio;
import dev.genre.audio.decode.AudioDecodeException;
import dev.genre.audio.decode.AudioDecoder;
import dev.genre.audio.decode.AudioFormatKind;
import dev.genre.audio.decode.Ffmpeg;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code genre bench decode}: the built-in decoders (WAV, MP3, FLAC) on one thread against ffmpeg decoding the same
 * files in the same rounds, per format: clips per second, times real time, and whether the samples agree with
 * ffmpeg's. ffmpeg decodes to 32-bit integers at the file's own rate and channels, which holds 16- and 24-bit PCM
 * exactly, so a lossless decode must match it bit for bit; a lossy one (MP3) only closely.
 */
public final class DecodeBenchmark {
    public record Config(Path data, int repeats) {}

    private final Config cfg;
    private final PrintStream out;

    public DecodeBenchmark(Config cfg, PrintStream out) {
        this.cfg = cfg;
        this.out = out;
    }

    public Map<String, Object> run() throws Exception {
        Map<AudioFormatKind, List<Path>> byFormat = builtInClips(cfg.data());
        if (byFormat.isEmpty()) throw new IOException(cfg.data() + ": no WAV, MP3 or FLAC clips under <genre>/ folders");
        Path ffmpeg = Ffmpeg.locate();
        out.printf("decode benchmark: %s, %d rounds, 1 thread; peer: %s%n", cfg.data(), cfg.repeats(),
                ffmpeg == null ? "none (ffmpeg is not on the PATH)" : ffmpeg + " (one process per clip, as the ffmpeg path runs it)");
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("data", cfg.data().toAbsolutePath().normalize().toString());
        r.put("repeats", cfg.repeats());
        r.put("peer", ffmpeg == null ? null : ffmpeg.toString());
        List<Map<String, Object>> rows = new ArrayList<>();
        out.printf("%-6s %6s %9s | %12s %10s | %12s %14s | %s%n", "format", "clips", "audio, s", "genre clip/s", "x realtime",
                "ffmpeg clip/s", "genre / ffmpeg", "samples against ffmpeg");
        for (Map.Entry<AudioFormatKind, List<Path>> e : byFormat.entrySet()) {
            rows.add(format(e.getKey(), e.getValue(), ffmpeg));
        }
        r.put("formats", rows);
        return r;
    }

    private Map<String, Object> format(AudioFormatKind kind, List<Path> files, Path ffmpeg) throws Exception {
        double audioSeconds = 0;
        for (Path f : files) audioSeconds += decode(f).seconds(); // also the warm-up of the decoder's classes and JIT
        int rounds = cfg.repeats();
        double[] ours = new double[rounds], peer = new double[rounds], ratio = new double[rounds];
        for (int k = 0; k < rounds; k++) { // interleaved: this VM's speed drifts within a minute
            long t0 = System.nanoTime();
            for (Path f : files) decode(f);
            ours[k] = files.size() / ((System.nanoTime() - t0) / 1e9);
            if (ffmpeg != null) {
                t0 = System.nanoTime();
                for (Path f : files) ffmpegPcm(ffmpeg, f);
                peer[k] = files.size() / ((System.nanoTime() - t0) / 1e9);
                ratio[k] = ours[k] / peer[k];
            }
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("format", kind.label());
        row.put("clips", files.size());
        row.put("audioSeconds", audioSeconds);
        row.put("clipsPerSecond", MelBenchmark.median(ours));
        row.put("clipsPerSecondRounds", ours);
        row.put("timesRealTime", MelBenchmark.median(ours) * audioSeconds / files.size());
        String agreement = "not compared (no ffmpeg)";
        if (ffmpeg != null) {
            row.put("ffmpegClipsPerSecond", MelBenchmark.median(peer));
            row.put("ratioMedian", MelBenchmark.median(ratio));
            int exact = 0, compared = 0;
            double maxDiff = 0;
            for (Path f : files) {
                float[] mine = decode(f).samples();
                float[] theirs = ffmpegMono(ffmpegPcm(ffmpeg, f), mine.length);
                if (theirs == null) continue;
                compared++;
                if (Arrays.equals(mine, theirs)) exact++;
                for (int i = 0; i < mine.length; i++) maxDiff = Math.max(maxDiff, Math.abs(mine[i] - theirs[i]));
            }
            row.put("comparedClips", compared);
            row.put("bitExactClips", exact);
            row.put("maxAbsDifference", maxDiff);
            agreement = String.format("%d of %d bit-exact, max |diff| %.2g", exact, compared, maxDiff);
        }
        out.printf("%-6s %6d %9.0f | %12.1f %10.0f | %12s %14s | %s%n", kind.label(), files.size(), audioSeconds, MelBenchmark.median(ours),
                MelBenchmark.median(ours) * audioSeconds / files.size(), ffmpeg == null ? "-" : String.format("%.1f", MelBenchmark.median(peer)),
                ffmpeg == null ? "-" : String.format("%.2fx", MelBenchmark.median(ratio)), agreement);
        return row;
    }

    private static Audio decode(Path f) throws AudioDecodeException {
        return AudioDecoder.decodeBuiltIn(f);
    }

    /** ffmpeg's decode at the file's own rate and channels, as interleaved 32-bit little-endian integers. */
    private static byte[] ffmpegPcm(Path ffmpeg, Path f) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(ffmpeg.toString(), "-v", "error", "-i", f.toString(), "-f", "s32le", "-").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] pcm = p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) throw new IOException(f + ": ffmpeg failed to decode it");
        return pcm;
    }

    /** ffmpeg's samples mixed to mono the way this project mixes them, or null when the lengths cannot be matched. */
    private static float[] ffmpegMono(byte[] pcm, int frames) {
        int samples = pcm.length / 4;
        if (frames == 0 || samples % frames != 0) return null;
        int channels = samples / frames;
        ByteBuffer b = ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN);
        double scale = 1.0 / (1L << 31);
        float[] mono = new float[frames];
        for (int i = 0; i < frames; i++) {
            double sum = 0;
            for (int c = 0; c < channels; c++) sum += b.getInt() * scale;
            mono[i] = (float) (channels == 1 ? sum : sum / channels);
        }
        return mono;
    }

    private static Map<AudioFormatKind, List<Path>> builtInClips(Path data) throws IOException {
        Map<AudioFormatKind, List<Path>> byFormat = new TreeMap<>();
        try (Stream<Path> s = Files.walk(data, 2, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
            s.filter(p -> data.relativize(p).getNameCount() == 2 && Files.isRegularFile(p)).sorted().forEach(p -> {
                AudioFormatKind k = AudioFormatKind.of(p);
                if (k != null && k != AudioFormatKind.FFMPEG && k != AudioFormatKind.AU && k != AudioFormatKind.AIFF) {
                    byFormat.computeIfAbsent(k, x -> new ArrayList<>()).add(p);
                }
            });
        }
        return byFormat;
    }
}
