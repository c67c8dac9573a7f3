package dev.genre.deploy.classify;

import dev.genre.audio.decode.Audio;
import dev.genre.audio.decode.AudioDecodeException;
import dev.genre.audio.decode.AudioDecoder;
import dev.genre.audio.mel.LogMelSpectrogram;
import dev.genre.deploy.onnx.FixedBatchRunner;
import dev.genre.deploy.onnx.OnnxModel;
import dev.genre.deploy.onnx.SpecOnnxWriter;
import dev.genre.deploy.pkg.MelConfig;
import dev.genre.deploy.pkg.ModelPackage;
import dev.genre.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Classifies audio files with a model package and ONNX Runtime only (libtorch is never loaded):
 * decode, log-mel with the package's own parameters, segments at the package's hop, mean of the
 * segment probabilities. A clip shorter than one segment is padded with its quietest value.
 */
public final class Classifier implements AutoCloseable {
    public record Score(String genre, double probability) {}

    public record Result(Path file, double seconds, int segments, List<Score> scores) {}

    /**
     * The package's JSON and ONNX Runtime's session are read on two other threads while the first file
     * decodes: together they were a third of a cold one-file classify. The session thread then runs one
     * warm-up batch, which pages in ONNX Runtime's memory (see {@link FixedBatchRunner}) off the critical path.
     */
    private final CompletableFuture<Setup> setup;
    private final CompletableFuture<Model> model;
    private final boolean int8;

    /** What the package's JSON says: the decoder at its rate and the log-mel with its parameters. */
    private record Setup(ModelPackage pkg, AudioDecoder decoder, LogMelSpectrogram logMel) {}

    private record Model(OnnxModel onnx, FixedBatchRunner runner) {}

    /** @param int8 the int8 model (the package must have one), else the float one */
    public Classifier(ModelPackage pkg, boolean int8) throws IOException {
        this(CompletableFuture.completedFuture(setup(pkg)), pkg.model(int8), int8);
    }

    private Classifier(CompletableFuture<Setup> setup, Path modelFile, boolean int8) {
        this.setup = setup;
        this.int8 = int8;
        this.model = background(() -> {
            OnnxModel onnx = OnnxModel.forOneShape(modelFile, 1);
            try {
                MelConfig mc = await(setup).pkg().mel(); // a broken package: classify reports that, from the setup
                FixedBatchRunner runner = new FixedBatchRunner(onnx, 1, mc.mel().nMels(), mc.segmentFrames());
                runner.warmUp(SpecOnnxWriter.PROBABILITIES);
                return new Model(onnx, runner);
            } catch (IOException | RuntimeException e) {
                onnx.close();
                throw e;
            }
        });
    }

    /** Opens the package in {@code dir} in the background: its int8 model when asked for and present, else the float one. */
    public static Classifier open(Path dir, boolean preferInt8) {
        boolean int8 = preferInt8 && Files.isRegularFile(dir.resolve(ModelPackage.INT8_MODEL));
        return new Classifier(background(() -> setup(ModelPackage.open(dir))), dir.resolve(int8 ? ModelPackage.INT8_MODEL : ModelPackage.FLOAT_MODEL), int8);
    }

    private static Setup setup(ModelPackage pkg) {
        return new Setup(pkg, new AudioDecoder(pkg.mel().mel().sampleRate()), new LogMelSpectrogram(pkg.mel().mel()));
    }

    public boolean int8() {
        return int8;
    }

    public ModelPackage pkg() throws ModelLoadException {
        return await(setup).pkg();
    }

    public Result classify(Path file) throws IOException, AudioDecodeException {
        Audio builtIn = AudioDecoder.decodeBuiltIn(file); // before the package is read, where the format allows
        Setup setup = await(this.setup);
        Audio audio = builtIn != null ? setup.decoder().atTargetRate(file, builtIn) : setup.decoder().decode(file);
        ModelPackage pkg = setup.pkg();
        LogMelSpectrogram logMel = setup.logMel();
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
        float[][] p = await(model).runner().run(x, count, SpecOnnxWriter.PROBABILITIES);
        List<Score> scores = new ArrayList<>();
        for (int k = 0; k < pkg.labels().size(); k++) {
            double sum = 0;
            for (float[] row : p) sum += row[k];
            scores.add(new Score(pkg.labels().get(k), sum / count));
        }
        scores.sort(Comparator.comparingDouble(Score::probability).reversed());
        return new Result(file, audio.seconds(), count, scores);
    }

    /** The package or its model could not be loaded: a failure of the whole command, not of one audio file. */
    public static final class ModelLoadException extends IOException {
        ModelLoadException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private interface Loader<T> {
        T load() throws IOException;
    }

    private static <T> CompletableFuture<T> background(Loader<T> loader) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(loader.load());
            } catch (IOException | RuntimeException e) {
                f.completeExceptionally(e);
            }
        }, "classifier-setup");
        t.setDaemon(true);
        t.start();
        return f;
    }

    private static <T> T await(CompletableFuture<T> f) throws ModelLoadException {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) throw new ModelLoadException(io);
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        await(model).onnx().close();
    }
}
