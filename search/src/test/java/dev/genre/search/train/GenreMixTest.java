package dev.genre.search.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genre.audio.mel.MelParams;
import dev.genre.audio.synth.SyntheticDataset;
import dev.genre.dataset.DatasetPrep;
import dev.genre.dataset.PrepOptions;
import dev.genre.dataset.SegmentDataset;
import dev.genre.dataset.Split;
import dev.genre.dataset.SplitSpec;
import dev.genre.run.Progress;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Blends of same-genre clips (TrainConfig.genreMix) on a real prepared dataset of synthetic clips. */
class GenreMixTest {
    @TempDir
    static Path tmp;
    static SegmentDataset train;

    @BeforeAll
    static void prepare() throws Exception {
        Path clips = tmp.resolve("clips"), out = tmp.resolve("ds");
        SyntheticDataset.write(clips, new SyntheticDataset.Options(2, 3, 5, 3), Progress.none());
        new DatasetPrep(new PrepOptions(MelParams.defaults(), SplitSpec.parse("1,0,0", 0), 128, 2), Progress.none(),
                new PrintStream(PrintStream.nullOutputStream())).run(clips, out);
        train = SegmentDataset.load(out, Split.TRAIN, 128, 32);
    }

    /** Only the blend: no smoothing, mixup or masks, and an identity normalisation. */
    static TrainConfig blendOnly(double genreMix) {
        return new TrainConfig(1, 2, "adamw", 1e-3, 0.9, 0, 0, 0, 0, 0, 16, 0, 24, 0, 0, genreMix, 0, 0, 0, 128, 32, 32, 0);
    }

    @Test
    void partnersComeFromEveryOtherClipOfTheSameGenreAndNoOther() {
        Batches b = new Batches(train, blendOnly(1), new Normalization(0, 1, false), 2);
        SplittableRandom rng = new SplittableRandom(1);
        for (int seg = 0; seg < train.size(); seg++) {
            Set<Integer> clips = new HashSet<>();
            for (int k = 0; k < 200; k++) {
                int other = b.partnerOf(seg, rng);
                assertEquals(train.label(seg), train.label(other), "a partner of another genre");
                assertNotEquals(train.clipOf(seg), train.clipOf(other), "the crop's own clip as its partner");
                clips.add(train.clipOf(other));
            }
            assertEquals(2, clips.size(), "3 clips a genre: both others are drawn");
        }
    }

    @Test
    void aBlendedCropIsItsOwnCropPlusLessThanHalfOfAPartnerAndKeepsItsLabel() {
        Batches b = new Batches(train, blendOnly(1), new Normalization(0, 1, false), 2);
        int per = b.perSegment;
        float[] x = new float[per], target = new float[2], own = new float[per], partner = new float[per];
        for (int seg = 0; seg < train.size(); seg += 3) {
            b.train(new int[] {seg}, 0, 1, new SplittableRandom(seg), x, target);
            assertEquals(1f, target[train.label(seg)]);
            assertEquals(0f, target[1 - train.label(seg)]);
            // The same draws by hand: own crop, the coin, the partner, its crop, the weight.
            SplittableRandom rng = new SplittableRandom(seg);
            train.copyRandomCrop(seg, rng, own, 0);
            rng.nextDouble();
            train.copyRandomCrop(b.partnerOf(seg, rng), rng, partner, 0);
            float w = (float) (0.5 * rng.nextDouble());
            assertTrue(w < 0.5f);
            double diff = 0;
            for (int k = 0; k < per; k++) {
                assertEquals((1 - w) * own[k] + w * partner[k], x[k], 1e-3);
                diff = Math.max(diff, Math.abs(x[k] - own[k]));
            }
            if (w > 0.05) assertTrue(diff > 0.1, "the blend changed nothing");
        }
    }

    @Test
    void offDrawsNothingAndOutOfRangeIsRefused() {
        Batches off = new Batches(train, blendOnly(0), new Normalization(0, 1, false), 2);
        int per = off.perSegment;
        float[] x = new float[per], target = new float[2], own = new float[per];
        off.train(new int[] {4}, 0, 1, new SplittableRandom(9), x, target);
        train.copyRandomCrop(4, new SplittableRandom(9), own, 0);
        for (int k = 0; k < per; k++) assertEquals(own[k], x[k]);
        assertThrows(IllegalArgumentException.class, () -> blendOnly(1.5));
        assertEquals(0, TrainConfig.defaults().genreMix());
    }
}
