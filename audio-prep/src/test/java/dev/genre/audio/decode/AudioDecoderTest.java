package dev.genre.audio.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genre.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioDecoderTest {
    @TempDir
    Path dir;

    /** A 440 Hz tone (left) and silence or a copy (right), written by Java Sound in the given container. */
    private Path write(String name, AudioFileFormat.Type type, AudioFormat f, boolean stereoCopy) throws Exception {
        int frames = (int) f.getSampleRate(); // one second
        int bytesPerSample = f.getSampleSizeInBits() / 8;
        ByteBuffer b = ByteBuffer.allocate(frames * f.getFrameSize()).order(f.isBigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < frames; i++) {
            double v = 0.5 * Math.sin(2 * Math.PI * 440 * i / f.getSampleRate());
            for (int c = 0; c < f.getChannels(); c++) {
                double s = c == 0 || stereoCopy ? v : 0;
                switch (bytesPerSample) {
                    case 1 -> b.put((byte) (f.getEncoding() == AudioFormat.Encoding.PCM_UNSIGNED ? Math.round(s * 127) + 128 : Math.round(s * 127)));
                    case 2 -> b.putShort((short) Math.round(s * 32767));
                    case 3 -> {
                        int q = (int) Math.round(s * 8388607);
                        if (f.isBigEndian()) b.put((byte) (q >> 16)).put((byte) (q >> 8)).put((byte) q);
                        else b.put((byte) q).put((byte) (q >> 8)).put((byte) (q >> 16));
                    }
                    default -> b.putInt((int) Math.round(s * 2147483647.0));
                }
            }
        }
        Path file = dir.resolve(name);
        AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(b.array()), f, frames), type, file.toFile());
        return file;
    }

    private static double peak(float[] x) {
        double p = 0;
        for (float v : x) p = Math.max(p, Math.abs(v));
        return p;
    }

    @Test
    void wavAuAiffAtSeveralDepthsDecodeToTheSameTone() throws Exception {
        Object[][] cases = {
                {"a.wav", AudioFileFormat.Type.WAVE, new AudioFormat(22050, 16, 1, true, false)},
                {"b.wav", AudioFileFormat.Type.WAVE, new AudioFormat(AudioFormat.Encoding.PCM_UNSIGNED, 22050, 8, 1, 1, 22050, false)},
                {"c.wav", AudioFileFormat.Type.WAVE, new AudioFormat(22050, 24, 1, true, false)},
                {"d.au", AudioFileFormat.Type.AU, new AudioFormat(22050, 16, 1, true, true)},
                {"e.aiff", AudioFileFormat.Type.AIFF, new AudioFormat(22050, 16, 1, true, true)},
                {"f.aif", AudioFileFormat.Type.AIFF, new AudioFormat(22050, 24, 1, true, true)},
        };
        for (Object[] c : cases) {
            Path f = write((String) c[0], (AudioFileFormat.Type) c[1], (AudioFormat) c[2], false);
            Audio a = new AudioDecoder(22050).decode(f);
            assertEquals(22050, a.samples().length, c[0].toString());
            assertEquals(0.5, peak(a.samples()), 0.01, c[0] + " peak");
        }
    }

    @Test
    void stereoIsAveragedAndOtherRatesResampled() throws Exception {
        Path f = write("s.wav", AudioFileFormat.Type.WAVE, new AudioFormat(44100, 16, 2, true, false), false);
        Audio a = new AudioDecoder(22050).decode(f);
        assertEquals(22050, a.sampleRate());
        assertEquals(22050, a.samples().length);
        assertEquals(0.25, peak(a.samples()), 0.005, "left tone + silent right = half amplitude");
        assertEquals(44100, new AudioDecoder(22050).decodeNative(f).sampleRate());
    }

    @Test
    void mp3DecodesInPureJava() throws Exception {
        Path mp3 = Fixtures.file("synth-jazz.mp3");
        Audio a = new AudioDecoder(22050).decode(mp3);
        assertEquals(22050, a.sampleRate());
        assertEquals(4.0, a.seconds(), 0.15, "4 s clip plus the encoder's padding and delay");
        assertTrue(peak(a.samples()) > 0.05, "not silent");
        // The MP3 and the WAV it was encoded from are the same music: similar loudness.
        double rms = 0;
        for (float v : a.samples()) rms += v * v;
        assertTrue(Math.sqrt(rms / a.samples().length) > 0.01);
    }

    private AudioDecodeException reject(Path f) {
        AudioDecodeException e = assertThrows(AudioDecodeException.class, () -> new AudioDecoder(22050).decode(f));
        assertTrue(e.getMessage().startsWith(f.toString() + ": "), "names the file: " + e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), "one line");
        return e;
    }

    @Test
    void badInputGetsOneClearLine() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.wav"));
        assertTrue(reject(empty).problem().contains("empty"));

        Path text = Files.writeString(dir.resolve("notes.wav"), "these are liner notes, not audio\n".repeat(20));
        assertTrue(reject(text).problem().contains("not a RIFF/WAVE file"), reject(text).problem());

        Path fakeMp3 = Files.writeString(dir.resolve("song.mp3"), "<html>404 not found</html>\n".repeat(20));
        assertTrue(reject(fakeMp3).problem().contains("not a MP3 file"), reject(fakeMp3).problem());

        Path unknown = Files.writeString(dir.resolve("cover.xyz"), "x");
        assertTrue(reject(unknown).problem().contains("unsupported format '.xyz'"));

        Path good = write("t.wav", AudioFileFormat.Type.WAVE, new AudioFormat(22050, 16, 1, true, false), false);
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = Files.write(dir.resolve("truncated.wav"), Arrays.copyOf(bytes, bytes.length / 2));
        assertTrue(reject(truncated).problem().startsWith("truncated"), reject(truncated).problem());
        Path header = Files.write(dir.resolve("header.wav"), Arrays.copyOf(bytes, 20));
        assertTrue(reject(header).problem().contains("header") || reject(header).problem().contains("truncated"), reject(header).problem());
    }

    /** A mono 32-bit float WAV (format tag 3) of a 440 Hz tone with {@code bad} at sample {@code at}. */
    private Path floatWav(String name, int at, float bad) throws Exception {
        int n = 22050, rate = 22050;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + 4 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 4 * n).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16).putShort((short) 3).putShort((short) 1)
                .putInt(rate).putInt(4 * rate).putShort((short) 4).putShort((short) 32).put("data".getBytes()).putInt(4 * n);
        for (int i = 0; i < n; i++) b.putFloat(i == at ? bad : (float) (0.5 * Math.sin(2 * Math.PI * 440 * i / rate)));
        return Files.write(dir.resolve(name), b.array());
    }

    @Test
    void nonFiniteSamplesAreRejected() throws Exception {
        assertEquals(22050, new AudioDecoder(22050).decode(floatWav("fine.wav", -1, 0)).samples().length, "the same file without a bad sample decodes");
        String nan = reject(floatWav("nan.wav", 11025, Float.NaN)).problem();
        assertTrue(nan.contains("sample 11025") && nan.contains("NaN"), nan);
        assertTrue(reject(floatWav("inf.wav", 7, Float.POSITIVE_INFINITY)).problem().contains("+infinity"));
        assertTrue(reject(floatWav("ninf.wav", 0, Float.NEGATIVE_INFINITY)).problem().contains("-infinity"));
        // At another rate the check runs before the resampler would have spread the NaN.
        AudioDecodeException e = assertThrows(AudioDecodeException.class, () -> new AudioDecoder(16000).decode(dir.resolve("nan.wav")));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void otherFormatsNeedFfmpeg() throws Exception {
        Path ogg = Files.writeString(dir.resolve("song.ogg"), "OggS but not really");
        if (Ffmpeg.locate() == null) {
            assertTrue(reject(ogg).problem().contains("install it"), "says to install ffmpeg");
        } else {
            assertTrue(reject(ogg).problem().contains("ffmpeg"));
        }
    }

    @Test
    void ffmpegDecodesOggWhenInstalled() throws Exception {
        Path ffmpeg = Ffmpeg.locate();
        Assumptions.assumeTrue(ffmpeg != null, "ffmpeg not on PATH: the ffmpeg path is covered only by the error test");
        Path wav = write("src.wav", AudioFileFormat.Type.WAVE, new AudioFormat(44100, 16, 2, true, false), true);
        Path ogg = dir.resolve("it's a \"song\" $(x).ogg"); // quotes and $ must not reach the shell unquoted
        Process p = new ProcessBuilder(ffmpeg.toString(), "-loglevel", "error", "-i", wav.toString(), "-c:a", "flac", ogg.toString()).start();
        assertEquals(0, p.waitFor());
        Audio a = new AudioDecoder(22050).decode(ogg);
        assertEquals(22050, a.samples().length, 50);
        assertEquals(0.5, peak(a.samples()), 0.02);
    }

    @Test
    void nonAudioFileInAFolderIsNamedWithItsExtension() {
        assertEquals(AudioFormatKind.WAV, AudioFormatKind.of(new File("x.WAV").toPath()));
        assertEquals(AudioFormatKind.FLAC, AudioFormatKind.of(new File("x.flac").toPath()));
        assertEquals(AudioFormatKind.FFMPEG, AudioFormatKind.of(new File("x.ogg").toPath()));
        assertEquals(null, AudioFormatKind.of(new File("cover.jpg").toPath()));
    }
}
