package dev.genre.audio.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The WAV fast path reads what Java Sound reads, sample for sample, and leaves odd files to it. */
class WavFastPathTest {
    @ParameterizedTest
    @CsvSource({"8, 1, 22050", "16, 1, 22050", "16, 2, 44100", "24, 2, 48000", "32, 1, 16000"})
    void samplesEqualJavaSound(int bits, int channels, int rate) throws Exception {
        byte[] wav = wav(bits, channels, rate, 5000);
        Audio fast = WavFastPath.read(wav);
        assertNotNull(fast, "a plain PCM WAV takes the fast path");
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
            AudioFormat f = in.getFormat();
            byte[] pcm = in.readAllBytes();
            float[] expected = PcmConverter.toMono(pcm, pcm.length / f.getFrameSize(), f);
            assertEquals(rate, fast.sampleRate());
            assertArrayEquals(expected, fast.samples(), bits + "-bit, " + channels + " channel(s)");
        }
    }

    @ParameterizedTest
    @CsvSource({"riff size", "data size", "format tag", "no data"})
    void anythingUnusualIsLeftToJavaSound(String damage) throws Exception {
        byte[] wav = wav(16, 1, 22050, 1000);
        byte[] bad = switch (damage) {
            case "riff size" -> Arrays.copyOf(wav, wav.length - 100); // truncated: the RIFF size no longer matches
            case "data size" -> patchInt(wav, 40, 1_000_000); // data chunk claims more than the file holds
            case "format tag" -> patchShort(wav, 20, 2); // MS ADPCM
            default -> Arrays.copyOf(wav, 44 - 8); // header without a data chunk
        };
        assertNull(WavFastPath.read(bad), damage);
    }

    private static byte[] wav(int bits, int channels, int rate, int frames) throws Exception {
        AudioFormat f = new AudioFormat(bits == 8 ? AudioFormat.Encoding.PCM_UNSIGNED : AudioFormat.Encoding.PCM_SIGNED, rate, bits, channels,
                channels * bits / 8, rate, false);
        byte[] pcm = new byte[frames * f.getFrameSize()];
        java.util.SplittableRandom r = new java.util.SplittableRandom(bits * 31 + channels);
        for (int i = 0; i < pcm.length; i++) pcm[i] = (byte) r.nextInt(256);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(pcm), f, frames), AudioFileFormat.Type.WAVE, out);
        return out.toByteArray();
    }

    private static byte[] patchInt(byte[] b, int at, int v) {
        byte[] c = b.clone();
        java.nio.ByteBuffer.wrap(c).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(at, v);
        return c;
    }

    private static byte[] patchShort(byte[] b, int at, int v) {
        byte[] c = b.clone();
        java.nio.ByteBuffer.wrap(c).order(java.nio.ByteOrder.LITTLE_ENDIAN).putShort(at, (short) v);
        return c;
    }
}
