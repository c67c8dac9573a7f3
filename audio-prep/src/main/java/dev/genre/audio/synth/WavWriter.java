package dev.genre.audio.synth;

import dev.genre.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/** 16-bit PCM RIFF/WAVE (mono, or interleaved channels), written atomically. */
public final class WavWriter {
    private WavWriter() {}

    public static byte[] encode(short[] pcm, int rate) {
        return encode(pcm, rate, 1);
    }

    public static byte[] encode(short[] pcm, int rate, int channels) {
        int data = pcm.length * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + data).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + data)
                .put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .putInt(16).putShort((short) 1).putShort((short) channels).putInt(rate).putInt(rate * 2 * channels)
                .putShort((short) (2 * channels)).putShort((short) 16)
                .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(data);
        b.asShortBuffer().put(pcm);
        return b.array();
    }

    public static void write(Path file, short[] pcm, int rate) throws IOException {
        AtomicFiles.write(file, encode(pcm, rate));
    }

    public static void write(Path file, short[] pcm, int rate, int channels) throws IOException {
        AtomicFiles.write(file, encode(pcm, rate, channels));
    }
}
