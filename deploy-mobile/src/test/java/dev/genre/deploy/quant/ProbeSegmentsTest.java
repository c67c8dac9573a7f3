package dev.genre.deploy.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genre.audio.mel.MelParams;
import dev.genre.audio.synth.SyntheticDataset;
import dev.genre.dataset.DatasetPrep;
import dev.genre.dataset.PrepOptions;
import dev.genre.dataset.SegmentDataset;
import dev.genre.dataset.Split;
import dev.genre.dataset.SplitSpec;
import dev.genre.deploy.onnx.OnnxGraph;
import dev.genre.deploy.onnx.OnnxModel;
import dev.genre.deploy.onnx.SpecOnnxWriter;
import dev.genre.run.Progress;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mixup probe on real prepared segments, read back through ONNX Runtime by a model that returns its input. */
class ProbeSegmentsTest {
    static final int FRAMES = 128;
    @TempDir
    static Path tmp;
    static SegmentDataset train;
    static OnnxModel echo;

    @BeforeAll
    static void prepare() throws Exception {
        Path clips = tmp.resolve("clips"), data = tmp.resolve("data");
        SyntheticDataset.write(clips, new SyntheticDataset.Options(2, 2, 6, 3), Progress.none());
        new DatasetPrep(new PrepOptions(MelParams.defaults(), SplitSpec.parse("1,0,0", 0), FRAMES, 1), Progress.none(),
                new PrintStream(PrintStream.nullOutputStream())).run(clips, data);
        train = SegmentDataset.load(data, Split.TRAIN, FRAMES, FRAMES);
        OnnxGraph g = new OnnxGraph("echo");
        String x = g.input(SpecOnnxWriter.INPUT, 1, 128, FRAMES);
        String out = g.node("Flatten", SpecOnnxWriter.PROBABILITIES, List.of(x));
        g.output(out, 128 * FRAMES);
        echo = new OnnxModel(g.build(Map.of()).toByteArray(), 1);
    }

    @Test
    void everyBlendMixesTwoSegmentsOfDifferentClipsWithNeitherDominant() throws Exception {
        assertEquals(4, train.clipCount());
        assertTrue(train.size() >= 8, "segments: " + train.size());
        int per = 128 * FRAMES;
        float[][] seg = new float[train.size()][per];
        for (int i = 0; i < seg.length; i++) train.copy(i, seg[i], 0);
        float[][] blends = ProbeSegments.mixup(train, 24, 5).probabilities(echo);
        assertEquals(24, blends.length);
        for (float[] b : blends) {
            // The pair and weight that explain the blend exactly: b = l * s_i + (1 - l) * s_j, by least squares over l.
            double bestResidual = Double.MAX_VALUE, bestLambda = -1;
            boolean sameClip = false;
            for (int i = 0; i < seg.length; i++) {
                for (int j = 0; j < seg.length; j++) {
                    if (i == j) continue;
                    double num = 0, den = 0;
                    for (int k = 0; k < per; k++) {
                        double d = seg[i][k] - seg[j][k];
                        num += (b[k] - seg[j][k]) * d;
                        den += d * d;
                    }
                    double l = den == 0 ? 0 : num / den, res = 0;
                    for (int k = 0; k < per; k++) {
                        double e = b[k] - (l * seg[i][k] + (1 - l) * seg[j][k]);
                        res += e * e;
                    }
                    if (res < bestResidual) {
                        bestResidual = res;
                        bestLambda = l;
                        sameClip = train.clipOf(i) == train.clipOf(j);
                    }
                }
            }
            assertTrue(bestResidual < 1e-3 * per, "a blend of two segments: residual " + bestResidual);
            assertFalse(sameClip, "from different clips");
            assertTrue(bestLambda >= ProbeSegments.LOW - 1e-4 && bestLambda <= 1 - ProbeSegments.LOW + 1e-4, "weight " + bestLambda);
        }
    }

    @Test
    void theSeedFixesTheProbe() throws Exception {
        float[][] a = ProbeSegments.mixup(train, 4, 9).probabilities(echo), b = ProbeSegments.mixup(train, 4, 9).probabilities(echo),
                c = ProbeSegments.mixup(train, 4, 10).probabilities(echo);
        for (int i = 0; i < a.length; i++) assertArrayEquals(a[i], b[i]);
        assertFalse(java.util.Arrays.equals(a[0], c[0]) && java.util.Arrays.equals(a[1], c[1]), "another seed, other blends");
        float[][] plain = ProbeSegments.of(train).probabilities(echo);
        float[] first = new float[128 * FRAMES];
        train.copy(0, first, 0);
        assertArrayEquals(first, plain[0], "of(data) is the segments as they are");
    }

    @Test
    void oneClipCannotBeBlended() throws Exception {
        Path clips = tmp.resolve("one"), data = tmp.resolve("one-data");
        SyntheticDataset.write(clips, new SyntheticDataset.Options(1, 1, 6, 3), Progress.none());
        new DatasetPrep(new PrepOptions(MelParams.defaults(), SplitSpec.parse("1,0,0", 0), FRAMES, 1), Progress.none(),
                new PrintStream(PrintStream.nullOutputStream())).run(clips, data);
        SegmentDataset one = SegmentDataset.load(data, Split.TRAIN, FRAMES, FRAMES);
        assertThrows(IllegalArgumentException.class, () -> ProbeSegments.mixup(one, 4, 0));
    }
}
