package dev.genre.audio.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genre.Fixtures;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class Mp3DecoderTest {
    /**
     * MPEG-2 22.05 kHz CBR (lame); MPEG-1 44.1 kHz joint-stereo VBR with an ID3v2 tag; MPEG-2 16 kHz low-bitrate VBR;
     * MPEG-1 32 kbit/s (the reservoir reaching seven frames back) with an ID3v1 tag (ffmpeg).
     */
    private static final List<String> FIXTURES = List.of("synth-jazz.mp3", "synth-stereo-vbr.mp3", "synth-rock-16k-vbr.mp3",
            "synth-stereo-32k-id3v1.mp3");

    @Test
    void framesDecodedInRunsJoinToExactlyTheWholeDecode() throws Exception {
        for (String name : FIXTURES) {
            byte[] mp3 = Files.readAllBytes(Fixtures.file(name));
            Mp3FrameIndex index = Mp3FrameIndex.scan(mp3);
            assertNotNull(index, name + ": every frame found from the headers");
            Mp3Decoder.Decoded whole = Mp3Decoder.whole(mp3);
            assertTrue(whole.samples().length > 0.9 * 4 * whole.sampleRate(), name + ": about 4 s decoded");
            // Many cut points, the small frames of a low bitrate among them (the reservoir then reaches several frames back).
            for (int runs : new int[] {2, 3, 7, 16}) {
                Mp3Decoder.Decoded joined = Mp3Decoder.inRuns(mp3, index, runs);
                assertNotNull(joined, name + " in " + runs + " runs: every run decoded whole (no fallback to one piece)");
                assertEquals(whole.sampleRate(), joined.sampleRate());
                assertArrayEquals(whole.samples(), joined.samples(), name + " in " + runs + " runs");
            }
        }
    }

    @Test
    void theDecoderDecodesTheStreamInOnePieceWhereTheHeadersCannotBeWalked() throws Exception {
        byte[] mp3 = Files.readAllBytes(Fixtures.file("synth-jazz.mp3"));
        int mid = Mp3FrameIndex.scan(mp3).offsets()[80];
        byte[] junk = new byte[mp3.length + 37]; // bytes between two frames: JLayer resynchronises, a header walk cannot
        System.arraycopy(mp3, 0, junk, 0, mid);
        System.arraycopy(mp3, mid, junk, mid + 37, mp3.length - mid);
        assertNull(Mp3FrameIndex.scan(junk));
        Mp3Decoder.Decoded d = Mp3Decoder.decode(junk, 4, 1);
        assertEquals(Mp3Decoder.whole(mp3).samples().length, d.samples().length, 1152, "the same audio, give or take a frame");
    }

    @Test
    void aStreamCutInsideAFrameKeepsEveryFrameBeforeTheCut() throws Exception {
        byte[] mp3 = Files.readAllBytes(Fixtures.file("synth-stereo-vbr.mp3"));
        Mp3FrameIndex index = Mp3FrameIndex.scan(mp3);
        int cut = index.offsets()[100] + index.lengths()[100] / 2;
        byte[] cutShort = Arrays.copyOf(mp3, cut);
        Mp3Decoder.Decoded whole = Mp3Decoder.whole(mp3), split = Mp3Decoder.inRuns(cutShort, Mp3FrameIndex.scan(cutShort), 3);
        assertNotNull(split, "decoded in runs");
        assertArrayEquals(Mp3Decoder.whole(cutShort).samples(), split.samples(), "as a decode of the cut stream from the start");
        assertTrue(split.samples().length >= 100 * 1152, "frames 0-99 are whole: " + split.samples().length);
        assertArrayEquals(Arrays.copyOf(whole.samples(), 99 * 1152), Arrays.copyOf(split.samples(), 99 * 1152));
    }
}
