package dev.genre.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.genre.audio.mel.MelParams;
import dev.genre.audio.synth.SyntheticDataset;
import dev.genre.io.Npy;
import dev.genre.run.Progress;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentDatasetTest {
    @TempDir
    Path tmp;

    @Test
    void windowsCoverEachClipOfTheSplitWithLabels() throws Exception {
        Path clips = tmp.resolve("clips"), out = tmp.resolve("ds");
        SyntheticDataset.write(clips, new SyntheticDataset.Options(2, 4, 5, 3), Progress.none());
        Manifest m = new DatasetPrep(new PrepOptions(MelParams.defaults(), SplitSpec.parse("0.5,0.25,0.25", 0), 128, 2),
                Progress.none(), new PrintStream(PrintStream.nullOutputStream())).run(clips, out);
        SegmentDataset train = SegmentDataset.load(out, Split.TRAIN, 128, 32);
        int frames = m.clips().get(0).frames(); // 216 for 5 s
        assertEquals(4, train.clipCount());
        assertEquals(4 * ((frames - 128) / 32 + 1), train.size());
        float[] x = new float[128 * 128];
        for (int i = 0; i < train.size(); i++) {
            ClipEntry c = train.clip(train.clipOf(i));
            assertEquals(m.genres().indexOf(c.genre()), train.label(i));
        }
        // Segment 1 of a clip starts 32 frames in: compare against the .npy itself.
        train.copy(1, x, 0);
        Npy.Matrix mel = Npy.read(out.resolve(train.clip(train.clipOf(1)).mel()));
        for (int r = 0; r < 128; r++) for (int t = 0; t < 128; t++) assertEquals(mel.get(r, 32 + t), x[r * 128 + t]);
        // Random crops stay inside the clip.
        SplittableRandom rng = new SplittableRandom(1);
        for (int k = 0; k < 100; k++) train.copyRandomCrop(k % train.size(), rng, x, 0);
    }

    @Test
    void stretchedCropsResampleTheClipAtTheirRate() throws Exception {
        Path clips = tmp.resolve("clips"), out = tmp.resolve("ds");
        SyntheticDataset.write(clips, new SyntheticDataset.Options(2, 2, 5, 3), Progress.none());
        new DatasetPrep(new PrepOptions(MelParams.defaults(), SplitSpec.parse("1,0,0", 0), 128, 2),
                Progress.none(), new PrintStream(PrintStream.nullOutputStream())).run(clips, out);
        SegmentDataset train = SegmentDataset.load(out, Split.TRAIN, 128, 64);
        Npy.Matrix mel = Npy.read(out.resolve(train.clip(train.clipOf(0)).mel()));
        int total = mel.cols(); // 216
        float[] x = new float[128 * 128];
        // A rate longer than the clip is clamped to it: the crop spans the whole clip, first frame to last.
        train.copyRandomStretchedCrop(0, 10, new SplittableRandom(3), x, 0);
        for (int r = 0; r < 128; r++) {
            assertEquals(mel.get(r, 0), x[r * 128], 1e-4);
            assertEquals(mel.get(r, total - 1), x[r * 128 + 127], 1e-3);
        }
        // Rate 1.25: 160 source frames from a start the stream draws, linearly interpolated.
        double rate = 1.25, span = rate * 128, step = (span - 1) / 127;
        double start = new SplittableRandom(5).nextDouble() * (total - span);
        train.copyRandomStretchedCrop(0, rate, new SplittableRandom(5), x, 0);
        for (int t = 0; t < 128; t += 9) {
            double pos = start + t * step;
            int lo = (int) pos;
            double w = pos - lo;
            for (int r = 0; r < 128; r += 17) assertEquals((1 - w) * mel.get(r, lo) + w * mel.get(r, lo + 1), x[r * 128 + t], 1e-3);
        }
        assertEquals(true, start + 127 * step <= total - 1, "the crop stays inside the clip");
    }

    @Test
    void refusesAnIncompleteDataset() throws Exception {
        Path out = tmp.resolve("partial");
        new Manifest(Manifest.FORMAT, false, "x", MelParams.defaults(), 128, SplitSpec.parse("0.8,0.1,0.1", 0),
                java.util.List.of(), java.util.List.of(), java.util.List.of(), null).write(out);
        IOException e = assertThrows(IOException.class, () -> SegmentDataset.load(out, Split.TRAIN, 128, 64));
        assertEquals(true, e.getMessage().contains("incomplete"));
    }
}
