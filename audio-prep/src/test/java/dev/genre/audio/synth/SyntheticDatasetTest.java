package dev.genre.audio.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genre.audio.mel.LogMelSpectrogram;
import dev.genre.audio.mel.MelParams;
import dev.genre.io.Hashes;
import dev.genre.io.Npy;
import dev.genre.run.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticDatasetTest {
    @TempDir
    Path tmp;

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() throws Exception {
        List<Path> a = SyntheticDataset.write(tmp.resolve("a"), new SyntheticDataset.Options(8, 1, 3, 5), Progress.none());
        List<Path> b = SyntheticDataset.write(tmp.resolve("b"), new SyntheticDataset.Options(8, 1, 3, 5), Progress.none());
        List<Path> c = SyntheticDataset.write(tmp.resolve("c"), new SyntheticDataset.Options(8, 1, 3, 6), Progress.none());
        assertEquals(8, a.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(Files.readAllBytes(a.get(i)), Files.readAllBytes(b.get(i)), a.get(i).toString());
            assertFalse(Hashes.sha256(a.get(i)).equals(Hashes.sha256(c.get(i))), "seed changes " + c.get(i));
        }
    }

    @Test
    void clipsOfAGenreVaryAndDoNotDependOnHowManyAreMade() {
        ClipSynthesizer s = new ClipSynthesizer(22050);
        short[] first = s.render("jazz", 1, 0, 2);
        short[] second = s.render("jazz", 1, 1, 2);
        assertFalse(java.util.Arrays.equals(first, second));
        assertArrayEquals(first, new ClipSynthesizer(22050).render("jazz", 1, 0, 2));
    }

    /** Genres differ in rhythm and spectrum, not in one frequency: check a few coarse descriptors. */
    @Test
    void genresDifferInLoudnessRhythmAndSpectrum() {
        ClipSynthesizer s = new ClipSynthesizer(22050);
        LogMelSpectrogram lm = new LogMelSpectrogram(MelParams.defaults());
        List<double[]> features = new ArrayList<>();
        for (String g : SyntheticGenres.names(SyntheticGenres.MAX)) {
            double[] mean = new double[4];
            for (int i = 0; i < 3; i++) {
                short[] pcm = s.render(g, 0, i, 6);
                float[] x = new float[pcm.length];
                double peak = 0;
                for (int k = 0; k < x.length; k++) {
                    x[k] = pcm[k] / 32768f;
                    peak = Math.max(peak, Math.abs(x[k]));
                }
                assertTrue(peak > 0.05 && peak < 1.0, g + " peak " + peak);
                double[] f = describe(lm.compute(x));
                for (int k = 0; k < 4; k++) mean[k] += f[k] / 3;
            }
            features.add(mean);
        }
        // Every pair of genres differs clearly in at least one descriptor.
        for (int i = 0; i < features.size(); i++) {
            for (int j = i + 1; j < features.size(); j++) {
                double[] a = features.get(i), b = features.get(j);
                boolean differs = Math.abs(a[0] - b[0]) > 3 || Math.abs(a[1] - b[1]) > 4 || Math.abs(a[2] - b[2]) > 0.5
                        || Math.abs(a[3] - b[3]) > 3;
                assertTrue(differs, SyntheticGenres.names(8).get(i) + " vs " + SyntheticGenres.names(8).get(j));
            }
        }
    }

    /** Mean level (dB), spectral centroid (mel band), onset strength, high-band level (dB). */
    static double[] describe(Npy.Matrix m) {
        double level = 0, centroid = 0, flux = 0, high = 0;
        for (int t = 0; t < m.cols(); t++) {
            double w = 0, cw = 0, frameFlux = 0;
            for (int b = 0; b < m.rows(); b++) {
                double v = m.get(b, t);
                level += v;
                double lin = Math.pow(10, v / 10);
                w += lin;
                cw += lin * b;
                if (b >= 96) high += v;
                if (t > 0) frameFlux += Math.max(0, v - m.get(b, t - 1));
            }
            centroid += cw / w;
            flux += frameFlux / m.rows();
        }
        int n = m.cols();
        return new double[] {level / (n * m.rows()), centroid / n, flux / n, high / (n * 32.0)};
    }
}
