package dev.genre.deploy.classify;

import dev.genre.audio.decode.Audio;
import dev.genre.audio.decode.AudioDecodeException;
import dev.genre.audio.decode.AudioDecoder;
import dev.genre.audio.mel.LogMelSpectrogram;
import dev.genre.deploy.onnx.OnnxModel;
import dev.genre.deploy.onnx.SpecOnnxWriter;
import dev.genre.deploy.pkg.MelConfig;
import dev.genre.deploy.pkg.ModelPackage;
import dev.genre.io.Npy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Classifies audio files with a model package and ONNX Runtime only (libtorch is never loaded):
 * decode, log-mel with the package's own parameters, segments at the package's hop, mean of the
 * segment probabilities. A clip shorter than one segment is padded with its quietest value.
 */
public final class Classifier implements AutoCloseable {
    public record Score(String genre, double probability) {}

    public record Result(Path file, double seconds, int segments, List<Score> scores) {}

    private final ModelPackage pkg;
    private final OnnxModel model;
    private final AudioDecoder decoder;
    private final LogMelSpectrogram logMel;
    private final boolean int8;

    public Classifier(ModelPackage pkg, boolean int8) throws IOException {
        this.pkg = pkg;
        this.int8 = int8;
        this.model = new OnnxModel(pkg.model(int8), 1);
        this.decoder = new AudioDecoder(pkg.mel().mel().sampleRate());
        this.logMel = new LogMelSpectrogram(pkg.mel().mel());
    }

    public boolean int8() {
        return int8;
    }

    public Result classify(Path file) throws IOException, AudioDecodeException {
        Audio audio = decoder.decode(file);
        Npy.Matrix mel = logMel.compute(audio.samples());
        MelConfig mc = pkg.mel();
        int rows = mel.rows(), cols = mel.cols(), seg = mc.segmentFrames(), hop = Math.max(1, mc.hopFrames());
        int count = cols <= seg ? 1 : 1 + (cols - seg) / hop;
        float floor = Float.MAX_VALUE;
        for (float v : mel.data()) floor = Math.min(floor, v);
        float[] x = new float[count * rows * seg];
        java.util.Arrays.fill(x, floor);
        for (int s = 0; s < count; s++) {
            int start = s * hop, len = Math.min(seg, cols - start);
            for (int r = 0; r < rows; r++) System.arraycopy(mel.data(), r * cols + start, x, (s * rows + r) * seg, len);
        }
        float[][] p = model.run(x, new long[] {count, 1, rows, seg}, SpecOnnxWriter.PROBABILITIES);
        List<Score> scores = new ArrayList<>();
        for (int k = 0; k < pkg.labels().size(); k++) {
            double sum = 0;
            for (float[] row : p) sum += row[k];
            scores.add(new Score(pkg.labels().get(k), sum / count));
        }
        scores.sort(Comparator.comparingDouble(Score::probability).reversed());
        return new Result(file, audio.seconds(), count, scores);
    }

    @Override
    public void close() throws IOException {
        model.close();
    }
}
