package dev.genre.audio.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genre.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlacDecoderTest {
    @TempDir
    Path dir;

    @Test
    void aFlacGivesExactlyTheSamplesOfTheWavItWasEncodedFrom() throws Exception {
        Path flac = Fixtures.file("synth-rock.flac");
        FlacDecoder.Decoded d = FlacDecoder.decode(flac, Files.readAllBytes(flac));
        assertTrue(d.md5Checked(), "the encoder's MD5 of the PCM was checked");
        assertEquals(16, d.bitsPerSample());
        Audio wav = AudioDecoder.decodeBuiltIn(Fixtures.file("synth-rock.wav"));
        Audio fromFlac = AudioDecoder.decodeBuiltIn(flac);
        assertEquals(wav.sampleRate(), fromFlac.sampleRate());
        assertArrayEquals(wav.samples(), fromFlac.samples(), "bit-exact: the same floats as the WAV path");
    }

    @Test
    void twentyFourBitStereoIsDecodedBitExactly() throws Exception {
        Path flac = Fixtures.file("synth-stereo-24bit.flac");
        FlacDecoder.Decoded d = FlacDecoder.decode(flac, Files.readAllBytes(flac));
        assertEquals(24, d.bitsPerSample());
        assertEquals(2, d.channels());
        assertEquals(48000, d.sampleRate());
        assertEquals(72000, d.mono().length, "1.5 s");
        assertTrue(d.md5Checked(), "the 24-bit interleaved PCM matches the encoder's MD5 of its input");
        // Real 24-bit audio: the two channels' low bytes are not zero (a 16-bit clip padded to 24 bits would be).
        long notSixteenBit = 0;
        for (float x : d.mono()) if ((Math.round(x * (1 << 24)) & 0xFF) != 0) notSixteenBit++;
        assertTrue(notSixteenBit > d.mono().length / 2, notSixteenBit + " of " + d.mono().length + " samples use the low 8 bits");

        Path ffmpeg = Ffmpeg.locate();
        Assumptions.assumeTrue(ffmpeg != null, "ffmpeg not on PATH: the ffmpeg comparison skipped (the MD5 check above still holds)");
        Path wav = dir.resolve("ffmpeg-24.wav");
        Process p = new ProcessBuilder(ffmpeg.toString(), "-v", "error", "-i", flac.toString(), "-c:a", "pcm_s24le", wav.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        assertArrayEquals(AudioDecoder.decodeBuiltIn(wav).samples(), d.mono(), "the same samples as ffmpeg's decode, as a 24-bit WAV");
    }

    @Test
    void brokenFlacFilesGetOneLineThatSaysWhatIsWrong() throws Exception {
        byte[] good = Files.readAllBytes(Fixtures.file("synth-rock.flac"));

        assertTrue(reject("text.flac", "just some text, not a FLAC stream at all".getBytes()).startsWith("not a FLAC file"));
        assertTrue(reject("header.flac", Arrays.copyOf(good, 20)).contains("metadata"), "cut inside STREAMINFO");

        String cut = reject("cut.flac", Arrays.copyOf(good, good.length * 3 / 5));
        assertTrue(cut.startsWith("truncated: STREAMINFO declares 88200 samples"), cut);

        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x5A; // inside an audio frame: its CRC-16 fails
        String crc = reject("flipped.flac", flipped);
        assertTrue(crc.startsWith("corrupt FLAC file: ") && crc.contains(" s"), crc);

        byte[] wrongMd5 = good.clone();
        wrongMd5[FlacDecoder.flacMarker(good) + 8 + 18] ^= 1; // the STREAMINFO signature
        assertTrue(reject("md5.flac", wrongMd5).contains("MD5"));

        for (String line : new String[] {cut, crc}) assertFalse(line.contains("\n"), "one line: " + line);
    }

    @Test
    void aFlacWithoutAnMd5SignatureStillDecodes() throws Exception {
        byte[] noMd5 = Files.readAllBytes(Fixtures.file("synth-rock.flac"));
        Arrays.fill(noMd5, FlacDecoder.flacMarker(noMd5) + 8 + 18, FlacDecoder.flacMarker(noMd5) + 8 + 34, (byte) 0); // "not computed"
        FlacDecoder.Decoded d = FlacDecoder.decode(dir.resolve("x.flac"), noMd5);
        assertFalse(d.md5Checked());
        assertArrayEquals(AudioDecoder.decodeBuiltIn(Fixtures.file("synth-rock.wav")).samples(), d.mono());
    }

    private String reject(String name, byte[] bytes) throws Exception {
        Path f = Files.write(dir.resolve(name), bytes);
        AudioDecodeException e = assertThrows(AudioDecodeException.class, () -> new AudioDecoder(22050).decode(f));
        assertEquals(f, e.file());
        return e.problem();
    }
}
