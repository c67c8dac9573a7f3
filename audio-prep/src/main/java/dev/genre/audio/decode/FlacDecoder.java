package dev.genre.audio.decode;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.jflac.ChannelData;
import org.jflac.FLACDecoder;
import org.jflac.FrameListener;
import org.jflac.frame.Frame;
import org.jflac.metadata.Metadata;
import org.jflac.metadata.StreamInfo;

/**
 * FLAC in pure Java (jFLAC), checked end to end.
 *
 * <p>jFLAC reports a frame whose CRC fails, or that it cannot parse, only to a listener (it zeroes or skips the frame
 * and goes on), and it stops quietly at a cut. A silently patched clip would still become a spectrogram that looks like
 * data, so any reported frame error, fewer samples than STREAMINFO declares, or a decode whose PCM does not match the
 * encoder's MD5 signature of the original PCM (when the file carries one) rejects the file. The MD5 check also makes
 * every decode a bit-exactness proof against the encoder's input.
 *
 * <p>The samples are scaled and averaged to mono exactly as {@link PcmConverter} does for a WAV with the same PCM, so
 * a clip converted from WAV to FLAC gives the same floats.
 */
final class FlacDecoder {
    /** The decoded mono signal, and the stream's own description of itself. */
    record Decoded(float[] mono, int sampleRate, int channels, int bitsPerSample, boolean md5Checked) {}

    private static final int MAX_BITS = 24; // jFLAC's widest path; 32-bit FLAC (RFC 9639) would overflow its int arithmetic

    private FlacDecoder() {}

    static Decoded decode(Path file, byte[] bytes) throws AudioDecodeException {
        int flacStart = flacMarker(bytes);
        if (flacStart < 0) throw new AudioDecodeException(file, "not a FLAC file: no 'fLaC' marker at its start");
        FirstError errors = new FirstError();
        FLACDecoder decoder = new FLACDecoder(new ByteArrayInputStream(bytes));
        decoder.addFrameListener(errors);
        StreamInfo info;
        try {
            decoder.readMetadata();
            info = decoder.getStreamInfo();
        } catch (IOException | RuntimeException e) {
            throw new AudioDecodeException(file, "corrupt FLAC file: its metadata blocks cannot be read (" + e.getMessage() + ")", e);
        }
        if (info == null) throw new AudioDecodeException(file, "corrupt FLAC file: no STREAMINFO block");
        int channels = info.getChannels();
        int bits = info.getBitsPerSample();
        int rate = info.getSampleRate();
        long declared = info.getTotalSamples(); // 0: unknown (a stream written without seeking back)
        if (bits > MAX_BITS) throw new AudioDecodeException(file, bits + "-bit FLAC is not supported (up to " + MAX_BITS + " bits)");
        if (rate <= 0) throw new AudioDecodeException(file, "corrupt FLAC file: STREAMINFO gives sample rate " + rate);
        if (declared > Integer.MAX_VALUE) throw new AudioDecodeException(file, "FLAC file too long: " + declared + " samples");

        byte[] signature = streamInfoMd5(bytes, flacStart);
        MessageDigest md5 = signature == null ? null : md5();
        int bytesPerSample = (bits + 7) / 8;
        byte[] pcm = new byte[0];
        float[] mono = new float[(int) Math.max(declared, 0)];
        double scale = 1.0 / (1L << (bits - 1));
        int decoded = 0;
        while (declared == 0 || decoded < declared) { // stop at the declared end: trailing tags are not frames
            Frame frame;
            try {
                frame = decoder.readNextFrame();
            } catch (IOException | RuntimeException e) {
                throw new AudioDecodeException(file, String.format("corrupt FLAC file: frame at %.3f s cannot be decoded (%s)",
                        decoded / (double) rate, e.getMessage()), e);
            }
            if (errors.endsInsideAFrame) {
                if (declared == 0) throw new AudioDecodeException(file, String.format("truncated: it ends inside the frame at %.3f s", decoded / (double) rate));
                break; // reported below with the declared length
            }
            if (errors.first != null) {
                throw new AudioDecodeException(file, String.format("corrupt FLAC file: %s near %.3f s", errors.first, decoded / (double) rate));
            }
            if (frame == null) break;
            int n = frame.header.blockSize;
            if (frame.header.channels != channels || frame.header.bitsPerSample != bits) {
                throw new AudioDecodeException(file, String.format("corrupt FLAC file: the frame at %.3f s has %d channels of %d bits,"
                        + " STREAMINFO says %d of %d", decoded / (double) rate, frame.header.channels, frame.header.bitsPerSample, channels, bits));
            }
            if (declared != 0 && decoded + (long) n > declared) {
                throw new AudioDecodeException(file, "corrupt FLAC file: more samples than the " + declared + " its STREAMINFO declares");
            }
            if (decoded + n > mono.length) mono = Arrays.copyOf(mono, Math.max(decoded + n, mono.length * 2));
            ChannelData[] data = decoder.getChannelData();
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int c = 0; c < channels; c++) sum += data[c].getOutput()[i] * scale;
                mono[decoded + i] = (float) (channels == 1 ? sum : sum / channels);
            }
            if (md5 != null) {
                int len = n * channels * bytesPerSample;
                if (pcm.length < len) pcm = new byte[len];
                interleaveLittleEndian(data, n, channels, bytesPerSample, pcm);
                md5.update(pcm, 0, len);
            }
            decoded += n;
        }
        if (declared != 0 && decoded < declared) {
            throw new AudioDecodeException(file, String.format("truncated: STREAMINFO declares %d samples (%.3f s), the file holds %d (%.3f s)",
                    declared, declared / (double) rate, decoded, decoded / (double) rate));
        }
        if (md5 != null && !MessageDigest.isEqual(md5.digest(), signature)) {
            throw new AudioDecodeException(file, "corrupt FLAC file: the decoded audio does not match the MD5 signature in its STREAMINFO");
        }
        return new Decoded(decoded == mono.length ? mono : Arrays.copyOf(mono, decoded), rate, channels, bits, md5 != null);
    }

    /** The PCM the encoder signed: interleaved, signed, little-endian, whole bytes per sample. */
    private static void interleaveLittleEndian(ChannelData[] data, int n, int channels, int bytesPerSample, byte[] out) {
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                int v = data[c].getOutput()[i];
                for (int b = 0; b < bytesPerSample; b++) out[k++] = (byte) (v >> (8 * b));
            }
        }
    }

    /** Where "fLaC" starts: at 0, or after an ID3v2 tag (some taggers put one there). -1 if neither. */
    static int flacMarker(byte[] b) {
        int at = 0;
        if (b.length >= 10 && b[0] == 'I' && b[1] == 'D' && b[2] == '3') {
            int size = ((b[6] & 0x7F) << 21) | ((b[7] & 0x7F) << 14) | ((b[8] & 0x7F) << 7) | (b[9] & 0x7F);
            at = 10 + size + ((b[5] & 0x10) != 0 ? 10 : 0);
        }
        return at + 4 <= b.length && b[at] == 'f' && b[at + 1] == 'L' && b[at + 2] == 'a' && b[at + 3] == 'C' ? at : -1;
    }

    /** STREAMINFO's MD5 of the unencoded PCM, or null when the block is not first or the encoder left it zero. */
    private static byte[] streamInfoMd5(byte[] b, int flacStart) {
        int block = flacStart + 4;
        int md5At = block + 4 + 18; // block header, then 18 bytes of sizes, rate, channels, bits and sample count
        if (md5At + 16 > b.length || (b[block] & 0x7F) != 0) return null;
        byte[] sig = Arrays.copyOfRange(b, md5At, md5At + 16);
        for (byte x : sig) if (x != 0) return sig;
        return null;
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has MD5", e);
        }
    }

    /** jFLAC's error reports (CRC mismatch, lost sync, bad header), of which the first one names the problem. */
    private static final class FirstError implements FrameListener {
        String first;
        boolean endsInsideAFrame; // jFLAC reports the EOF it then swallows


        @Override
        public void processMetadata(Metadata metadata) {}

        @Override
        public void processFrame(Frame frame) {}

        @Override
        public void processError(String msg) {
            if (msg.contains("EOFException")) endsInsideAFrame = true;
            else if (first == null) first = describe(msg);
        }

        private static String describe(String msg) {
            if (msg.startsWith("CRC Error")) return "a frame fails its CRC check";
            if (msg.contains("LOST_SYNC")) return "lost frame sync (bytes that are not FLAC frames)";
            if (msg.startsWith("Found bad header")) return "a bad frame header";
            return msg;
        }
    }
}
