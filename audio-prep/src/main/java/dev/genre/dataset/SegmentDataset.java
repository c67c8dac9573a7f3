package dev.genre.dataset;

import dev.genre.io.Npy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Fixed-length windows of one split's log-mels, for training and evaluation. All clips of the
 * split are held in memory (a 30 s clip is 660 KB), so a segment is {@code nMels} array copies and
 * training never waits on disk. Segments keep their clip index, so clip-level accuracy can pool
 * the segments of a song.
 */
public final class SegmentDataset {
    private final Manifest manifest;
    private final Split split;
    private final Set<Split> splits;
    private final int frames;
    private final int hop;
    private final List<ClipEntry> clips = new ArrayList<>();
    private final List<float[]> mels = new ArrayList<>();
    private final int[] labels;
    private final int[] segClip;
    private final int[] segStart;
    private final int nMels;

    private SegmentDataset(Path dir, Manifest manifest, Set<Split> splits, int frames, int hop) throws IOException {
        if (frames < 1 || hop < 1) throw new IllegalArgumentException("segment frames and hop must be positive");
        this.manifest = manifest;
        this.splits = Collections.unmodifiableSet(EnumSet.copyOf(splits));
        this.split = this.splits.iterator().next();
        this.frames = frames;
        this.hop = hop;
        this.nMels = manifest.mel().nMels();
        List<Integer> sc = new ArrayList<>(), ss = new ArrayList<>();
        for (ClipEntry c : manifest.clips()) {
            if (!splits.contains(c.split()) || !ClipEntry.OK.equals(c.status())) continue;
            Npy.Matrix m = Npy.read(dir.resolve(c.mel()));
            if (m.rows() != nMels) throw new IOException(dir.resolve(c.mel()) + ": " + m.rows() + " mel bands, manifest says " + nMels);
            int clip = clips.size();
            clips.add(c);
            mels.add(m.data());
            for (int start = 0; start + frames <= m.cols(); start += hop) {
                sc.add(clip);
                ss.add(start);
            }
        }
        segClip = sc.stream().mapToInt(Integer::intValue).toArray();
        segStart = ss.stream().mapToInt(Integer::intValue).toArray();
        labels = clips.stream().mapToInt(c -> manifest.labelOf(c.genre())).toArray();
    }

    /** Segments of {@code frames} frames every {@code hop} frames, over the clips of one split. */
    public static SegmentDataset load(Path datasetDir, Split split, int frames, int hop) throws IOException {
        return load(datasetDir, EnumSet.of(split), frames, hop);
    }

    /** The same over the clips of several splits (a final model trained on train and validation clips). */
    public static SegmentDataset load(Path datasetDir, Set<Split> splits, int frames, int hop) throws IOException {
        if (splits.isEmpty()) throw new IllegalArgumentException("no split to load");
        Manifest m = Manifest.read(datasetDir);
        if (!m.complete()) throw new IOException(datasetDir + ": the dataset is incomplete (prep was interrupted); run genre prep again");
        return new SegmentDataset(datasetDir, m, splits, frames, hop);
    }

    /** The splits whose clips these are. */
    public Set<Split> splits() {
        return splits;
    }

    public Manifest manifest() {
        return manifest;
    }

    /** The (first) split whose clips these are. */
    public Split split() {
        return split;
    }

    public int size() {
        return segClip.length;
    }

    public int clipCount() {
        return clips.size();
    }

    public ClipEntry clip(int clipIndex) {
        return clips.get(clipIndex);
    }

    public int clipOf(int segment) {
        return segClip[segment];
    }

    public int label(int segment) {
        return labels[segClip[segment]];
    }

    public int clipLabel(int clipIndex) {
        return labels[clipIndex];
    }

    public int nMels() {
        return nMels;
    }

    public int frames() {
        return frames;
    }

    /** Copies segment {@code i} as [nMels, frames] row-major into {@code dst} at {@code offset}. */
    public void copy(int i, float[] dst, int offset) {
        copyWindow(segClip[i], segStart[i], dst, offset);
    }

    /** A window at a random start inside the clip of segment {@code i}: time-crop augmentation. */
    public void copyRandomCrop(int i, SplittableRandom rng, float[] dst, int offset) {
        int clip = segClip[i];
        int total = mels.get(clip).length / nMels;
        copyWindow(clip, rng.nextInt(total - frames + 1), dst, offset);
    }

    /**
     * A window of {@code rate x frames} source frames at a random start inside the clip of segment
     * {@code i}, linearly resampled to {@code frames}: a tempo change of the music by 1 / rate
     * (rate above 1 plays faster). The rate is clamped so the window fits the clip.
     */
    public void copyRandomStretchedCrop(int i, double rate, SplittableRandom rng, float[] dst, int offset) {
        int clip = segClip[i];
        float[] m = mels.get(clip);
        int total = m.length / nMels;
        double span = Math.min(rate * frames, total); // source frames the window covers
        double step = frames > 1 ? (span - 1) / (frames - 1) : 0;
        double start = rng.nextDouble() * (total - span);
        for (int t = 0; t < frames; t++) {
            double pos = start + t * step;
            int lo = Math.min((int) pos, total - 1), hi = Math.min(lo + 1, total - 1);
            float w = (float) (pos - lo);
            for (int r = 0; r < nMels; r++) dst[offset + r * frames + t] = (1 - w) * m[r * total + lo] + w * m[r * total + hi];
        }
    }

    private void copyWindow(int clip, int start, float[] dst, int offset) {
        float[] m = mels.get(clip);
        int total = m.length / nMels;
        for (int r = 0; r < nMels; r++) System.arraycopy(m, r * total + start, dst, offset + r * frames, frames);
    }
}
