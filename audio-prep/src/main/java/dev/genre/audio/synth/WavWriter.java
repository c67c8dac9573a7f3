package dev.genre.audio.synth;

import dev.genre.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/** 16-bit PCM mono RIFF/WAVE, written atomically. */
public final class WavWriter {
    private WavWriter() {}

    public static byte[] encode(short[] pcm, int rate) {
        int data = pcm.length * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + data).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + data)
                .put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2)
                .putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(data);
        b.asShortBuffer().put(pcm);
        return b.array();
    }

    public static void write(Path file, short[] pcm, int rate) throws IOException {
        AtomicFiles.write(file, encode(pcm, rate));
    }
}
