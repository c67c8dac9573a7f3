package dev.genre.audio.decode;

import java.util.Arrays;

/**
 * Where each MPEG audio Layer III frame of an MP3 starts, read from the frame headers alone (no
 * decoding): what lets {@link Mp3Decoder} hand contiguous runs of frames to several threads.
 *
 * @param offsets        byte offset of every frame, in order
 * @param lengths        byte length of every frame
 * @param mainData       bytes of every frame after its header, CRC and side information: what the bit reservoir holds
 * @param mpeg1          MPEG-1 (two granules per frame, a 511-byte reservoir) rather than MPEG-2/2.5 (one granule, 255 bytes)
 * @param samplesPerFrame samples per channel a frame decodes to: 1152 (MPEG-1) or 576
 */
record Mp3FrameIndex(int[] offsets, int[] lengths, int[] mainData, boolean mpeg1, int samplesPerFrame) {
    private static final int[] KBPS_MPEG1 = {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0};
    private static final int[] KBPS_MPEG2 = {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0};
    private static final int[] RATES = {44100, 48000, 32000};

    int frames() {
        return offsets.length;
    }

    /**
     * The frames of {@code mp3}, or null where a header walk cannot find them all: free-format bitrates,
     * Layer I/II, a lost sync or junk between frames. The caller then decodes the stream in one piece,
     * the way JLayer resynchronises. An ID3v2 tag in front and an ID3v1 tag (or a cut frame) at the end are fine.
     */
    static Mp3FrameIndex scan(byte[] mp3) {
        int p = id3v2Length(mp3);
        int[] offsets = new int[1024], lengths = new int[1024], mainData = new int[1024];
        int n = 0, firstHeader = 0;
        boolean mpeg1 = false;
        while (p + 4 <= mp3.length) {
            int h = (mp3[p] & 0xFF) << 24 | (mp3[p + 1] & 0xFF) << 16 | (mp3[p + 2] & 0xFF) << 8 | (mp3[p + 3] & 0xFF);
            if (h >>> 21 != 0x7FF) break;
            int version = h >>> 19 & 3, layer = h >>> 17 & 3, bitrate = h >>> 12 & 15, rate = h >>> 10 & 3, padding = h >>> 9 & 1;
            if (version == 1 || layer != 1 || bitrate == 0 || bitrate == 15 || rate == 3) return null;
            // Sync, version, layer, protection (bits 31-16), sample rate (11-10) and whether the mode is mono hold across
            // a stream, as JLayer's own sync test requires; a header that changes them is a false sync inside audio data.
            int constant = h & 0xFFFF0C00 | ((h >>> 6 & 3) == 3 ? 1 : 0);
            if (n == 0) firstHeader = constant;
            else if (constant != firstHeader) return null;
            int hz = RATES[rate] >> (version == 3 ? 0 : version == 2 ? 1 : 2);
            int length = version == 3 ? 144000 * KBPS_MPEG1[bitrate] / hz + padding : 72000 * KBPS_MPEG2[bitrate] / hz + padding;
            boolean mono = (h >>> 6 & 3) == 3, crc = (h >>> 16 & 1) == 0;
            mpeg1 = version == 3;
            int sideInfo = mpeg1 ? (mono ? 17 : 32) : (mono ? 9 : 17);
            if (n == offsets.length) {
                offsets = Arrays.copyOf(offsets, 2 * n);
                lengths = Arrays.copyOf(lengths, 2 * n);
                mainData = Arrays.copyOf(mainData, 2 * n);
            }
            offsets[n] = p;
            lengths[n] = length;
            mainData[n++] = Math.max(0, length - 4 - (crc ? 2 : 0) - sideInfo);
            p += length;
        }
        boolean tailOk = p >= mp3.length || mp3.length - p == 128 && mp3[p] == 'T' && mp3[p + 1] == 'A' && mp3[p + 2] == 'G';
        if (n == 0 || !tailOk) return null;
        return new Mp3FrameIndex(Arrays.copyOf(offsets, n), Arrays.copyOf(lengths, n), Arrays.copyOf(mainData, n), mpeg1, mpeg1 ? 1152 : 576);
    }

    /**
     * Frames to decode, and throw away, before {@code frame} so that its samples come out exactly as in a decode
     * from the start. Frame k's output needs the spectra of the frames whose granules feed its IMDCT overlap and
     * its synthesis filter's 512-sample history: frame k-1 (two granules) in MPEG-1, k-1 and k-2 in MPEG-2. Each
     * of those needs its whole main data, which can begin up to 511 (MPEG-1) or 255 bytes back in the main data of
     * the frames before it: the bit reservoir. Checked sample for sample in Mp3DecoderTest.
     */
    int preroll(int frame) {
        int first = Math.max(0, frame - (mpeg1 ? 1 : 2)); // the earliest frame whose spectrum must be right
        int reservoir = mpeg1 ? 511 : 255, start = first, bytes = 0;
        while (start > 0 && bytes < reservoir) bytes += mainData[--start];
        return frame - start;
    }

    private static int id3v2Length(byte[] b) {
        if (b.length < 10 || b[0] != 'I' || b[1] != 'D' || b[2] != '3') return 0;
        int size = (b[6] & 0x7F) << 21 | (b[7] & 0x7F) << 14 | (b[8] & 0x7F) << 7 | (b[9] & 0x7F);
        return 10 + size + ((b[5] & 0x10) != 0 ? 10 : 0); // a footer when the flag says so
    }
}
