package dev.genre.audio.decode;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javazoom.jl.decoder.Bitstream;
import javazoom.jl.decoder.Decoder;
import javazoom.jl.decoder.Header;
import javazoom.jl.decoder.JavaLayerException;
import javazoom.jl.decoder.SampleBuffer;

/**
 * MP3 to mono floats with JLayer, the pure-Java decoder under mp3spi, called directly. A long stream is
 * cut at frame boundaries into one run of frames per core; each run starts a few frames early (its
 * {@link Mp3FrameIndex#preroll}) and drops their samples, so the joined output equals a decode from the
 * start sample for sample. Decoding was most of a cold {@code genre classify} of an MP3 (0.34 s of 30 s of
 * 44.1 kHz stereo on one core). Mono is the mean of the channels after rounding each to 16 bits, as
 * mp3spi's 16-bit PCM averaged by {@link PcmConverter} gave.
 */
final class Mp3Decoder {
    /** Below this many frames per thread (about 3 s of 44.1 kHz), the threads cost more than they save. */
    private static final int MIN_FRAMES_PER_THREAD = 128;

    private Mp3Decoder() {}

    record Decoded(float[] samples, int sampleRate) {}

    static Decoded decode(byte[] mp3, int threads) throws JavaLayerException {
        return decode(mp3, threads, MIN_FRAMES_PER_THREAD);
    }

    /** With a chosen minimum run length: tests cut short fixtures into many runs. */
    static Decoded decode(byte[] mp3, int threads, int minFramesPerThread) throws JavaLayerException {
        Mp3FrameIndex index = Mp3FrameIndex.scan(mp3);
        int runs = index == null ? 1 : Math.max(1, Math.min(threads, index.frames() / minFramesPerThread));
        if (runs == 1) return whole(mp3);
        Decoded d = inRuns(mp3, index, runs);
        return d != null ? d : whole(mp3); // a run met what the index did not see
    }

    /** The stream in {@code runs} runs of frames, joined; null when a run did not decode every one of its frames whole. */
    static Decoded inRuns(byte[] mp3, Mp3FrameIndex index, int runs) throws JavaLayerException {
        int frames = index.frames();
        // JLayer fills its shared tables (synthesis window, reorder tables) lazily and without a lock: one frame on
        // this thread first, so the runs never race on them.
        run(mp3, index, 0, 1, false);
        List<CompletableFuture<Decoded>> others = new ArrayList<>();
        for (int r = 0; r < runs - 1; r++) {
            int from = frames * r / runs, to = frames * (r + 1) / runs;
            others.add(async(() -> run(mp3, index, from, to, false)));
        }
        // The calling thread's share, to the end of the stream: JLayer drops a cut last frame, and the frame before an
        // ID3v1 tag, exactly as in a decode from the start.
        Decoded last = run(mp3, index, frames * (runs - 1) / runs, frames, true);
        List<Decoded> decoded = new ArrayList<>();
        for (CompletableFuture<Decoded> f : others) decoded.add(join(f));
        decoded.add(last);
        int total = 0;
        for (Decoded d : decoded) {
            if (d == null || d.sampleRate() != decoded.get(0).sampleRate()) return null;
            total += d.samples().length;
        }
        float[] out = new float[total];
        int at = 0;
        for (Decoded d : decoded) {
            System.arraycopy(d.samples(), 0, out, at, d.samples().length);
            at += d.samples().length;
        }
        return new Decoded(out, decoded.get(0).sampleRate());
    }

    /** The whole stream in one piece, JLayer finding (and resynchronising on) the frames itself. */
    static Decoded whole(byte[] mp3) throws JavaLayerException {
        return decodeFrames(new Bitstream(new ByteArrayInputStream(mp3)), 0, Integer.MAX_VALUE, 1 << 16).audio();
    }

    /**
     * Frames {@code [from, to)} (or from {@code from} to the end of the stream), or null unless every one of them
     * decoded to a whole frame of samples: a frame that JLayer skipped (its reservoir not filled) would shift all later samples.
     */
    private static Decoded run(byte[] mp3, Mp3FrameIndex index, int from, int to, boolean toTheEnd) throws JavaLayerException {
        int start = from - index.preroll(from);
        Bitstream in = new Bitstream(new ByteArrayInputStream(mp3, index.offsets()[start], mp3.length - index.offsets()[start]));
        Frames f = decodeFrames(in, from - start, toTheEnd ? Integer.MAX_VALUE : to - start, (to - from) * index.samplesPerFrame());
        int kept = f.count() - (from - start);
        boolean complete = toTheEnd ? kept >= 0 : f.count() == to - start;
        return complete && f.audio().samples().length == (long) Math.max(0, kept) * index.samplesPerFrame() ? f.audio() : null;
    }

    private record Frames(Decoded audio, int count) {}

    /** Decodes {@code end} frames (or to the end of the stream) and keeps the samples of those from {@code keepFrom} on. */
    private static Frames decodeFrames(Bitstream in, int keepFrom, int end, int capacity) throws JavaLayerException {
        Decoder decoder = new Decoder();
        float[] out = new float[Math.max(capacity, 1152)];
        int n = 0, rate = 0, frame = 0;
        try {
            for (Header h; frame < end && (h = in.readFrame()) != null; frame++) {
                SampleBuffer pcm = (SampleBuffer) decoder.decodeFrame(h, in);
                in.closeFrame();
                if (frame < keepFrom) continue;
                if (rate == 0) rate = pcm.getSampleFrequency();
                short[] s = pcm.getBuffer();
                int len = pcm.getBufferLength(), channels = pcm.getChannelCount();
                if (n + len / channels > out.length) out = java.util.Arrays.copyOf(out, Math.max(2 * out.length, n + len / channels));
                if (channels == 1) {
                    for (int i = 0; i < len; i++) out[n++] = s[i] * (1f / 32768);
                } else {
                    for (int i = 0; i + 1 < len; i += 2) out[n++] = (float) ((s[i] / 32768.0 + s[i + 1] / 32768.0) / 2);
                }
            }
        } finally {
            in.close();
        }
        return new Frames(new Decoded(java.util.Arrays.copyOf(out, n), rate), frame);
    }

    private interface Job {
        Decoded run() throws JavaLayerException;
    }

    private static CompletableFuture<Decoded> async(Job job) {
        CompletableFuture<Decoded> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(job.run());
            } catch (Throwable e) { // an Error too: the caller waits on this future
                f.completeExceptionally(e);
            }
        }, "mp3-decode");
        t.setDaemon(true);
        t.start();
        return f;
    }

    private static Decoded join(CompletableFuture<Decoded> f) throws JavaLayerException {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof JavaLayerException j) throw j;
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error r) throw r;
            throw e;
        }
    }
}
