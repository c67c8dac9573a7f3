package dev.genre.audio.decode;

import be.tarsos.dsp.io.PipeDecoder;
import dev.genre.audio.resample.PolyphaseResampler;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import javazoom.jl.decoder.JavaLayerException;

/**
 * Turns an audio file into mono float samples at a target rate.
 *
 * <p>WAV, AU and AIFF go through Java Sound, MP3 through the pure-Java JLayer decoder ({@link Mp3Decoder}), FLAC through
 * the pure-Java jFLAC ({@link FlacDecoder}, checked against the file's MD5 signature), and anything
 * else through ffmpeg (TarsosDSP's pipe decoder) when ffmpeg is on the PATH. The leading bytes are
 * checked against the extension first, so a text file named {@code .wav} gets a clear message
 * rather than whatever a permissive reader makes of it. Stereo is averaged to mono; other rates
 * go through the band-limited {@link PolyphaseResampler}.
 */
public final class AudioDecoder {
    private final int targetRate;

    public AudioDecoder(int targetRate) {
        if (targetRate <= 0) throw new IllegalArgumentException("sample rate must be positive: " + targetRate);
        this.targetRate = targetRate;
    }

    public int targetRate() {
        return targetRate;
    }

    public Audio decode(Path file) throws AudioDecodeException {
        return atTargetRate(file, decodeNative(file));
    }

    /** {@code decoded} (from {@code file}) resampled to the target rate. */
    public Audio atTargetRate(Path file, Audio decoded) throws AudioDecodeException {
        if (decoded.samples().length == 0) throw new AudioDecodeException(file, "no audio samples in the file");
        rejectNonFinite(file, decoded);
        if (decoded.sampleRate() == targetRate) return decoded;
        float[] resampled = PolyphaseResampler.of(decoded.sampleRate(), targetRate).process(decoded.samples());
        return new Audio(resampled, targetRate);
    }

    /**
     * A float WAV (or any decoder) can hand over NaN or infinite samples; the resampler and the log-mel would
     * spread them over a whole spectrogram that looks like data. Such a file is broken input, named like any other.
     */
    static void rejectNonFinite(Path file, Audio decoded) throws AudioDecodeException {
        float[] x = decoded.samples();
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                throw new AudioDecodeException(file, String.format("sample %d (%.3f s) is %s: not audio", i, i / (double) decoded.sampleRate(),
                        Float.isNaN(x[i]) ? "NaN" : (x[i] > 0 ? "+infinity" : "-infinity")));
            }
        }
    }

    /** Decodes without resampling (ffmpeg output is already at the target rate). */
    public Audio decodeNative(Path file) throws AudioDecodeException {
        return decodeNative(file, targetRate);
    }

    /**
     * A built-in format (WAV, AU, AIFF, MP3, FLAC) decoded at the file's own rate, or null for one that goes
     * through ffmpeg (which decodes at a given rate): a caller can start decoding before it knows the rate.
     */
    public static Audio decodeBuiltIn(Path file) throws AudioDecodeException {
        return AudioFormatKind.of(file) == AudioFormatKind.FFMPEG ? null : decodeNative(file, 0);
    }

    private static Audio decodeNative(Path file, int ffmpegRate) throws AudioDecodeException {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new AudioDecodeException(file, "cannot read: " + e.getMessage(), e);
        }
        if (size == 0) throw new AudioDecodeException(file, "empty file (0 bytes)");
        AudioFormatKind kind = AudioFormatKind.of(file);
        if (kind == null) {
            String ext = AudioFormatKind.extension(file);
            throw new AudioDecodeException(file, (ext.isEmpty() ? "unsupported format (no file extension)" : "unsupported format '." + ext + "'")
                    + " (wav, au, aiff, mp3 and flac are built in; ogg, m4a and others need ffmpeg)");
        }
        try {
            return switch (kind) {
                case WAV -> {
                    checkMagic(file, kind);
                    Audio fast = WavFastPath.read(Files.readAllBytes(file));
                    yield fast != null ? fast : decodeJavaSound(file, AudioSystem.getAudioInputStream(file.toFile()));
                }
                case AU, AIFF -> {
                    checkMagic(file, kind);
                    yield decodeJavaSound(file, AudioSystem.getAudioInputStream(file.toFile()));
                }
                case MP3 -> {
                    checkMagic(file, kind);
                    yield decodeMp3(file, Files.readAllBytes(file));
                }
                case FLAC -> {
                    checkMagic(file, kind);
                    FlacDecoder.Decoded d = FlacDecoder.decode(file, Files.readAllBytes(file));
                    yield new Audio(d.mono(), d.sampleRate());
                }
                case FFMPEG -> decodeFfmpeg(file, ffmpegRate);
            };
        } catch (UnsupportedAudioFileException e) {
            long declared = declaredContainerSize(file, kind);
            if (declared > size) {
                throw new AudioDecodeException(file, String.format("truncated: the %s header declares %d bytes, the file has %d",
                        kind.label(), declared, size), e);
            }
            throw new AudioDecodeException(file, "not a readable " + kind.label() + " file (" + e.getMessage() + ")", e);
        } catch (EOFException e) {
            throw new AudioDecodeException(file, "truncated " + kind.label() + " file: it ends inside its header", e);
        } catch (IOException | RuntimeException e) {
            throw new AudioDecodeException(file, "corrupt " + kind.label() + " file (" + e + ")", e);
        }
    }

    private static void checkMagic(Path file, AudioFormatKind kind) throws IOException, AudioDecodeException {
        byte[] head = new byte[12];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        boolean ok = switch (kind) {
            case WAV -> n >= 12 && ascii(head, 0, 4).equals("RIFF") && ascii(head, 8, 4).equals("WAVE");
            case AU -> n >= 4 && ascii(head, 0, 4).equals(".snd");
            case AIFF -> n >= 12 && ascii(head, 0, 4).equals("FORM") && ascii(head, 8, 3).equals("AIF");
            case MP3 -> n >= 3 && (ascii(head, 0, 3).equals("ID3") || ((head[0] & 0xFF) == 0xFF && (head[1] & 0xE0) == 0xE0));
            case FLAC -> n >= 4 && (ascii(head, 0, 4).equals("fLaC") || ascii(head, 0, 3).equals("ID3"));
            case FFMPEG -> true;
        };
        if (!ok) {
            throw new AudioDecodeException(file, "not a " + kind.label() + " file: its first bytes are not a "
                    + kind.label() + " header" + (n < 12 ? " (only " + n + " bytes long)" : ""));
        }
    }

    /** The byte count a RIFF or FORM container claims for itself (size field + 8), or -1. */
    private static long declaredContainerSize(Path file, AudioFormatKind kind) {
        if (kind != AudioFormatKind.WAV && kind != AudioFormatKind.AIFF) return -1;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] h = in.readNBytes(8);
            if (h.length < 8) return -1;
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(h, 4, 4)
                    .order(kind == AudioFormatKind.WAV ? java.nio.ByteOrder.LITTLE_ENDIAN : java.nio.ByteOrder.BIG_ENDIAN);
            return Integer.toUnsignedLong(b.getInt()) + 8;
        } catch (IOException e) {
            return -1;
        }
    }

    private static String ascii(byte[] b, int off, int len) {
        return new String(b, off, len, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static Audio decodeJavaSound(Path file, AudioInputStream source) throws IOException, AudioDecodeException {
        try (AudioInputStream in = toPcm(source)) {
            AudioFormat f = in.getFormat();
            long declaredFrames = source.getFrameLength();
            byte[] bytes = in.readAllBytes();
            int frameSize = f.getFrameSize();
            long frames = bytes.length / frameSize;
            boolean compressed = !source.getFormat().getEncoding().equals(f.getEncoding());
            if (!compressed && declaredFrames != AudioSystem.NOT_SPECIFIED && frames < declaredFrames) {
                throw new AudioDecodeException(file, String.format("truncated: the header declares %d sample frames, the file holds %d",
                        declaredFrames, frames));
            }
            return new Audio(PcmConverter.toMono(bytes, (int) frames, f), Math.round(f.getSampleRate()));
        }
    }

    /** PCM stays as it is; mu-law, A-law and MP3 are converted to 16-bit signed PCM by Java Sound. */
    private static AudioInputStream toPcm(AudioInputStream in) {
        AudioFormat f = in.getFormat();
        AudioFormat.Encoding e = f.getEncoding();
        if (e.equals(AudioFormat.Encoding.PCM_SIGNED) || e.equals(AudioFormat.Encoding.PCM_UNSIGNED) || e.equals(AudioFormat.Encoding.PCM_FLOAT)) {
            return in;
        }
        AudioFormat pcm = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, f.getSampleRate(), 16, f.getChannels(),
                f.getChannels() * 2, f.getSampleRate(), false);
        return AudioSystem.getAudioInputStream(pcm, in);
    }

    private static Audio decodeMp3(Path file, byte[] bytes) throws AudioDecodeException {
        Mp3Decoder.Decoded d;
        try {
            d = Mp3Decoder.decode(bytes, Runtime.getRuntime().availableProcessors());
        } catch (JavaLayerException e) {
            throw new AudioDecodeException(file, "corrupt MP3 file: " + mp3Problem(e), e);
        }
        if (d.sampleRate() == 0) throw new AudioDecodeException(file, "not a readable MP3 file: no MPEG audio frames in it");
        return new Audio(d.samples(), d.sampleRate());
    }

    /** JLayer's error codes in words (its own message is "Bitstream errorcode 102"). */
    private static String mp3Problem(JavaLayerException e) {
        int code = e instanceof javazoom.jl.decoder.BitstreamException b ? b.getErrorCode()
                : e instanceof javazoom.jl.decoder.DecoderException d ? d.getErrorCode() : -1;
        return switch (code) {
            case javazoom.jl.decoder.BitstreamErrors.UNEXPECTED_EOF, javazoom.jl.decoder.BitstreamErrors.STREAM_EOF -> "it ends inside a frame";
            case javazoom.jl.decoder.BitstreamErrors.INVALIDFRAME -> "an invalid MPEG frame";
            case javazoom.jl.decoder.BitstreamErrors.UNKNOWN_SAMPLE_RATE -> "a frame with an unknown sample rate";
            case javazoom.jl.decoder.BitstreamErrors.STREAM_ERROR -> "the stream cannot be read";
            case javazoom.jl.decoder.DecoderErrors.UNSUPPORTED_LAYER -> "an MPEG layer the decoder does not support";
            case javazoom.jl.decoder.DecoderErrors.ILLEGAL_SUBBAND_ALLOCATION -> "an illegal subband allocation";
            default -> String.valueOf(e.getMessage());
        };
    }

    private static Audio decodeFfmpeg(Path file, int targetRate) throws IOException, AudioDecodeException {
        Path ffmpeg = Ffmpeg.locate();
        if (ffmpeg == null) {
            throw new AudioDecodeException(file, "decoding '." + AudioFormatKind.extension(file)
                    + "' needs ffmpeg, which is not on the PATH (install it: apt-get install ffmpeg)");
        }
        // Never TarsosDSP's default constructor: it tries to download an ffmpeg binary.
        PipeDecoder pipe = new PipeDecoder("/bin/sh", "-c", Ffmpeg.pipeCommand(ffmpeg), null, 1 << 16);
        ByteArrayOutputStream pcm = new ByteArrayOutputStream();
        try (InputStream in = new BufferedInputStream(pipe.getDecodedStream(Ffmpeg.shellQuoted(file), targetRate, 0, -1))) {
            in.transferTo(pcm);
        }
        byte[] bytes = pcm.toByteArray();
        if (bytes.length < 2) throw new AudioDecodeException(file, "ffmpeg decoded no audio (corrupt or not an audio file)");
        AudioFormat s16 = new AudioFormat(targetRate, 16, 1, true, false);
        return new Audio(PcmConverter.toMono(bytes, bytes.length / 2, s16), targetRate);
    }
}
