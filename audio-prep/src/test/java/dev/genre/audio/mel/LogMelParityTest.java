package dev.genre.audio.mel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genre.Fixtures;
import dev.genre.audio.decode.AudioDecoder;
import dev.genre.io.Npy;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parity with torchaudio (slaney mel scale and norm) on clips this project synthesized, for both kernels. */
class LogMelParityTest {
    static final double TOLERANCE_DB = 0.01;

    @ParameterizedTest
    @CsvSource({"synth-rock,vector", "synth-classical,vector", "synth-rock,scalar", "synth-classical,scalar"})
    void defaultRecipeMatchesTorchaudio(String clip, String kernel) throws Exception {
        assertParity(clip, kernel, MelParams.defaults(), "torchaudio-default");
    }

    @ParameterizedTest
    @CsvSource({"synth-rock,vector", "synth-classical,vector", "synth-rock,scalar", "synth-classical,scalar"})
    void everyFlagIsHonoured(String clip, String kernel) throws Exception {
        MelParams alt = new MelParams(22050, 1024, 256, MelParams.HANN, true, "constant", 2.0, 64, 30, 8000,
                "slaney", "slaney", 1.0, 1e-10, 60.0);
        assertParity(clip, kernel, alt, "torchaudio-alt");
    }

    private static void assertParity(String clip, String kernel, MelParams p, String refDir) throws Exception {
        float[] x = new AudioDecoder(p.sampleRate()).decode(Fixtures.file(clip + ".wav")).samples();
        LogMelSpectrogram lm = kernel.equals("vector") ? LogMelSpectrogram.vector(p) : LogMelSpectrogram.scalar(p);
        Npy.Matrix ours = lm.compute(x);
        Npy.Matrix ref = Npy.read(Fixtures.file(refDir + "/" + clip + ".npy"));
        assertEquals(ref.rows(), ours.rows(), "mel bands");
        assertEquals(ref.cols(), ours.cols(), "frames");
        assertEquals(p.frames(x.length), ours.cols());
        double max = 0;
        for (int i = 0; i < ref.data().length; i++) max = Math.max(max, Math.abs(ref.data()[i] - ours.data()[i]));
        assertTrue(max <= TOLERANCE_DB, clip + ": max |genre - torchaudio| = " + max + " dB");
        // top_db must actually bite on these clips, or the test would not cover the clipping.
        float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
        for (float v : ours.data()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        assertEquals(p.topDb(), hi - lo, 1e-3, "dynamic range is clipped to top_db");
    }

    @org.junit.jupiter.api.Test
    void thirtySecondGtzanClipHas1293Frames() throws Exception {
        Path gtzan = Fixtures.gtzan();
        org.junit.jupiter.api.Assumptions.assumeTrue(gtzan != null, "GTZAN dev set (../shared/data/gtzan-dev) not present: skipped");
        Path clip = gtzan.resolve("blues/blues.00016.wav");
        float[] x = new AudioDecoder(22050).decode(clip).samples();
        Npy.Matrix m = new LogMelSpectrogram(MelParams.defaults()).compute(x);
        assertEquals(128, m.rows());
        assertEquals(1 + x.length / 512, m.cols());
        assertEquals(1293, m.cols(), "a 30.013 s clip at hop 512");
    }
}
