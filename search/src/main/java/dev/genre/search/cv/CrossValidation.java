package dev.genre.search.cv;

import dev.genre.dataset.Manifest;
import dev.genre.run.Progress;
import dev.genre.search.spec.NetworkSpec;
import dev.genre.search.train.Evaluation;
import dev.genre.search.train.TrainConfig;
import dev.genre.search.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Song-level k-fold cross-validation with the project's trainer: for each fold k, a fresh model
 * trains on the other folds' clips with the given recipe for its fixed number of epochs, then fold
 * k is scored once. Fold k is only ever the test: nothing (epochs, weights, thresholds) is chosen on
 * it, and there is no validation split (see {@link FoldDataset}).
 */
public final class CrossValidation {
    public static final String NAME = "genre (DJL)";

    private final TrainConfig recipe;
    private final NetworkSpec spec;
    private final Progress progress;
    private final PrintStream out;

    public CrossValidation(TrainConfig recipe, NetworkSpec spec, Progress progress, PrintStream out) {
        this.recipe = recipe;
        this.spec = spec;
        this.progress = progress;
        this.out = out;
    }

    /**
     * Trains and tests every fold. Writes each fold's dataset view to {@code work/folds/fold-K} and
     * its training run (checkpoints, model.params, metrics.json, plots) to {@code work/djl/fold-K}.
     */
    public List<FoldResult> run(Path datasetDir, Manifest prepared, Folds folds, Path work) throws IOException {
        List<FoldResult> results = new ArrayList<>();
        int n = folds.folds();
        for (int k = 1; k <= n; k++) {
            Path view = FoldDataset.write(datasetDir, prepared, folds, k, work.resolve("folds").resolve("fold-" + k));
            int trainClips = folds.train(k).size();
            out.printf("%s fold %d/%d: training on %d clips (the other folds), %d epoch(s), then testing once on fold %d's %d clips%n",
                    NAME, k, n, trainClips, recipe.epochs(), k, folds.test(k).size());
            long t0 = System.nanoTime();
            Trainer trainer = new Trainer(recipe, new FoldProgress(progress, String.format("%s fold %d/%d", NAME, k, n)));
            Evaluation test = trainer.train(view, spec, work.resolve("djl").resolve("fold-" + k), false, 0).test();
            FoldResult r = new FoldResult(k, trainClips, test.clips(), test.segments(), test.segmentAccuracy(), test.clipAccuracy(),
                    test.clipMacroAccuracy(), test.clipMacroF1(), (System.nanoTime() - t0) / 1e9, test.confusion());
            out.printf("%s fold %d/%d: test clip accuracy %.3f, macro %.3f, macro F1 %.3f, segment accuracy %.3f (%d clips, %d segments), %.0f s%n",
                    NAME, k, n, r.clipAccuracy(), r.clipMacroAccuracy(), r.clipMacroF1(), r.segmentAccuracy(), r.testClips(), r.testSegments(), r.seconds());
            results.add(r);
        }
        return results;
    }
}
