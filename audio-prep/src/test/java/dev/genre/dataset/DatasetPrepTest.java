package dev.genre.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genre.audio.mel.MelParams;
import dev.genre.audio.synth.SyntheticDataset;
import dev.genre.audio.synth.WavWriter;
import dev.genre.io.Npy;
import dev.genre.run.Progress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetPrepTest {
    @TempDir
    Path tmp;
    Path clips, out;
    ByteArrayOutputStream errBytes;

    @BeforeEach
    void clips() throws Exception {
        clips = tmp.resolve("clips");
        out = tmp.resolve("dataset");
        SyntheticDataset.write(clips, new SyntheticDataset.Options(3, 5, 4, 11), Progress.none());
    }

    Manifest prep(PrepOptions o) throws Exception {
        errBytes = new ByteArrayOutputStream();
        return new DatasetPrep(o, Progress.none(), new PrintStream(errBytes, true)).run(clips, out);
    }

    Manifest prep() throws Exception {
        return prep(new PrepOptions(MelParams.defaults(), SplitSpec.parse("0.6,0.2,0.2", 0), 128, 2));
    }

    List<String> errorLines() {
        return errBytes.toString().lines().toList();
    }

    @Test
    void preparesEveryClipWithManifestAndRunRecord() throws Exception {
        Manifest m = prep();
        assertTrue(m.complete());
        assertEquals(List.of("jazz", "rock", "techno"), m.genres());
        assertEquals(15, m.clips().size());
        assertEquals(new Manifest.Summary(15, 0, 0, 0, 0), m.summary());
        for (ClipEntry c : m.clips()) {
            Npy.Matrix mel = Npy.read(out.resolve(c.mel()));
            assertEquals(128, mel.rows());
            assertEquals(c.frames(), mel.cols());
            assertEquals(1 + 4 * 22050 / 512, c.frames());
            assertEquals(64, c.sha256().length());
        }
        // Stratified per genre: 5 clips at 0.6/0.2/0.2 -> 3/1/1 in every genre.
        Map<String, Map<Split, Long>> perGenre = m.clips().stream()
                .collect(Collectors.groupingBy(ClipEntry::genre, Collectors.groupingBy(ClipEntry::split, Collectors.counting())));
        for (Map<Split, Long> c : perGenre.values()) assertEquals(Map.of(Split.TRAIN, 3L, Split.VALID, 1L, Split.TEST, 1L), c);
        assertTrue(Files.isRegularFile(out.resolve("run.json")));
        assertTrue(Files.readString(out.resolve("run.json")).contains("clips.sha256"));
    }

    @Test
    void rerunsAreIncremental() throws Exception {
        Manifest first = prep();
        Map<String, Split> splits = new HashMap<>();
        first.clips().forEach(c -> splits.put(c.id(), c.split()));
        Path kept = out.resolve(first.clips().get(0).mel());
        long keptTime = Files.getLastModifiedTime(kept).toMillis();

        assertEquals(new Manifest.Summary(0, 0, 15, 0, 0), prep().summary());
        assertEquals(keptTime, Files.getLastModifiedTime(kept).toMillis(), "unchanged clips are not rewritten");

        // Change one clip's bytes, remove one, add two.
        Path changed = clips.resolve("rock/rock.00001.wav");
        short[] pcm = new short[22050 * 4];
        for (int i = 0; i < pcm.length; i++) pcm[i] = (short) (8000 * Math.sin(i * 0.05));
        WavWriter.write(changed, pcm, 22050);
        Files.delete(clips.resolve("jazz/jazz.00002.wav"));
        Files.copy(clips.resolve("techno/techno.00000.wav"), clips.resolve("techno/new-a.wav"));
        Files.copy(clips.resolve("techno/techno.00001.wav"), clips.resolve("techno/new-b.wav"));
        Manifest m = prep();
        assertEquals(new Manifest.Summary(2, 1, 13, 1, 0), m.summary());
        assertFalse(Files.exists(out.resolve("mels/jazz/jazz.00002.npy")), "output of a removed clip is deleted");
        for (ClipEntry c : m.clips()) if (splits.containsKey(c.id())) assertEquals(splits.get(c.id()), c.split(), c.id() + " kept its split");

        // New mel parameters: everything is recomputed, splits stay.
        MelParams p = MelParams.defaults();
        MelParams fewer = new MelParams(p.sampleRate(), p.nFft(), p.hopLength(), p.window(), p.center(), p.padMode(), p.power(),
                64, p.fMin(), p.fMax(), p.melScale(), p.norm(), p.ref(), p.amin(), p.topDb());
        Manifest m2 = prep(new PrepOptions(fewer, SplitSpec.parse("0.6,0.2,0.2", 0), 128, 2));
        assertEquals(new Manifest.Summary(0, 16, 0, 0, 0), m2.summary());
        assertEquals(64, Npy.read(out.resolve(m2.clips().get(0).mel())).rows());
    }

    @Test
    void badFilesAreRejectedOneLineEachAndTheBatchGoesOn() throws Exception {
        Path rock = clips.resolve("rock");
        Files.createFile(rock.resolve("empty.wav"));
        Files.writeString(rock.resolve("readme.wav"), "not audio at all\n".repeat(10));
        Files.writeString(rock.resolve("fake.mp3"), "GIF89a pretending to be an mp3".repeat(10));
        Files.writeString(rock.resolve("cover.jpg"), "\u00ff\u00d8\u00ff not a song");
        byte[] good = Files.readAllBytes(rock.resolve("rock.00000.wav"));
        Files.write(rock.resolve("cut.wav"), Arrays.copyOf(good, good.length / 3));
        WavWriter.write(rock.resolve("short.wav"), new short[22050], 22050);          // 1 s < one 128-frame segment
        WavWriter.write(rock.resolve("silent.wav"), new short[22050 * 5], 22050);     // 5 s of digital silence

        Manifest m = prep();
        assertEquals(15, m.clips().size(), "every good clip is still prepared");
        Map<String, String> reasons = m.rejects().stream().collect(Collectors.toMap(r -> r.source(), r -> r.reason()));
        assertEquals(7, reasons.size(), reasons.toString());
        assertTrue(reasons.get("rock/empty.wav").contains("empty"));
        assertTrue(reasons.get("rock/readme.wav").contains("not a RIFF/WAVE file"));
        assertTrue(reasons.get("rock/fake.mp3").contains("not a MP3 file"));
        assertTrue(reasons.get("rock/cover.jpg").contains("unsupported format '.jpg'"));
        assertTrue(reasons.get("rock/cut.wav").startsWith("truncated"));
        assertTrue(reasons.get("rock/short.wav").startsWith("too short"));
        assertTrue(reasons.get("rock/silent.wav").startsWith("silent"));
        assertEquals(7, m.summary().rejected());
        List<String> lines = errorLines();
        assertEquals(7, lines.size(), lines.toString());
        for (String line : lines) assertTrue(line.startsWith(clips.resolve("rock") + "/") && line.matches("[^:]+: .+"), line);
        try (Stream<Path> s = Files.walk(out.resolve("mels/rock"))) {
            assertEquals(5, s.filter(Files::isRegularFile).count(), "no output for rejected files");
        }
    }

    @Test
    void aFolderMixingWavAndFlacIsPreparedAsOne() throws Exception {
        Path rock = clips.resolve("rock");
        Files.copy(dev.genre.Fixtures.file("synth-rock.wav"), rock.resolve("fixture.wav"));
        Files.copy(dev.genre.Fixtures.file("synth-rock.flac"), rock.resolve("fixture.flac")); // the same PCM, losslessly
        byte[] flac = Files.readAllBytes(rock.resolve("fixture.flac"));
        Files.write(rock.resolve("cut.flac"), Arrays.copyOf(flac, flac.length / 2));

        Manifest m = prep();
        assertEquals(17, m.clips().size(), "15 WAV + one more WAV + one FLAC");
        Map<String, ClipEntry> byId = m.clips().stream().collect(Collectors.toMap(ClipEntry::source, c -> c));
        Npy.Matrix fromWav = Npy.read(out.resolve(byId.get("rock/fixture.wav").mel()));
        Npy.Matrix fromFlac = Npy.read(out.resolve(byId.get("rock/fixture.flac").mel()));
        assertArrayEquals(fromWav.data(), fromFlac.data(), "a lossless FLAC gives the WAV's spectrogram exactly");
        assertEquals(1, m.rejects().size());
        assertTrue(m.rejects().get(0).reason().startsWith("truncated: STREAMINFO declares"), m.rejects().get(0).reason());
        assertEquals(List.of(rock.resolve("cut.flac") + ": " + m.rejects().get(0).reason()), errorLines());
    }
}
