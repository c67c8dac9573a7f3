package dev.genre.bench;

import dev.genre.deploy.pkg.Exporter;
import dev.genre.deploy.pkg.ModelPackage;
import dev.genre.run.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The work folder of {@code genre bench cv} as the benchmarks that reuse its fold models read it. */
final class CvWork {
    private CvWork() {}

    /** The fold runs {@code djl/fold-K}, sorted; a clear error when {@code bench cv} has not run. */
    static List<Path> foldRuns(Path work) throws IOException {
        Path runs = work.resolve("djl");
        List<Path> folds;
        try (Stream<Path> s = Files.list(runs)) {
            folds = s.filter(p -> p.getFileName().toString().startsWith("fold-")).sorted().toList();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(runs + ": no cross-validation runs; run genre bench cv first");
        }
        if (folds.isEmpty()) throw new IOException(runs + ": no fold-K runs; run genre bench cv first");
        return folds;
    }

    /** A fold run's float ONNX under {@code work/float}, exported on first use (and again when the run's weights are newer). */
    static Path floatModel(Path work, Path run, Progress progress) throws IOException {
        Path pkg = work.resolve("float").resolve(run.getFileName());
        Path onnx = pkg.resolve(ModelPackage.FLOAT_MODEL);
        Path weights = run.resolve("model.params");
        if (!Files.isRegularFile(onnx) || Files.getLastModifiedTime(onnx).compareTo(Files.getLastModifiedTime(weights)) < 0) {
            Exporter.export(run, pkg, Exporter.Options.defaults(), progress);
        }
        return onnx;
    }
}
