package dev.genre.search.cv;

import dev.genre.dataset.ClipEntry;
import dev.genre.dataset.Manifest;
import dev.genre.dataset.Split;
import dev.genre.dataset.SplitSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One fold as a dataset folder of its own: a manifest that lists the prepared clips with fold k as
 * the test split and all other folds as train, pointing at the prepared log-mels instead of copying
 * them (the mel computation runs once for all folds). The trainer and {@code genre train --data}
 * read it like any dataset. It has no validation split: the recipe trains a fixed number of epochs
 * and chooses nothing on held-out data, and the held-out fold is the test, so it must not act as one.
 */
public final class FoldDataset {
    private FoldDataset() {}

    /** Writes fold {@code k}'s manifest into {@code dir} and returns {@code dir}. */
    public static Path write(Path datasetDir, Manifest prepared, Folds folds, int k, Path dir) throws IOException {
        Path data = datasetDir.toAbsolutePath().normalize(), view = dir.toAbsolutePath().normalize();
        Map<String, Folds.Clip> bySource = folds.clips().stream().collect(Collectors.toMap(Folds.Clip::source, Function.identity()));
        List<ClipEntry> clips = prepared.clips().stream()
                .filter(c -> bySource.containsKey(c.source()))
                .map(c -> new ClipEntry(c.id(), c.genre(), c.source(), c.sha256(), c.seconds(), c.frames(),
                        bySource.get(c.source()).fold() == k ? Split.TEST : Split.TRAIN, c.status(),
                        view.relativize(data.resolve(c.mel())).toString()))
                .toList();
        double testShare = 1.0 / folds.folds();
        new Manifest(Manifest.FORMAT, true, prepared.input(), prepared.mel(), prepared.segmentFrames(),
                new SplitSpec(new double[] {1 - testShare, 0, testShare}, folds.seed()), prepared.genres(), clips, List.of(),
                prepared.summary()).write(view);
        return view;
    }
}
