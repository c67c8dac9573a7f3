package dev.genre.schedule.run;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.genre.dataset.SegmentDataset;
import dev.genre.dataset.Split;
import dev.genre.deploy.latency.LatencyTarget;
import dev.genre.deploy.onnx.OnnxEvaluation;
import dev.genre.deploy.onnx.OnnxModel;
import dev.genre.deploy.pkg.ModelPackage;
import dev.genre.io.AtomicFiles;
import dev.genre.search.nas.MnasReward;
import dev.genre.search.train.Evaluation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Decides whether a new package replaces {@code models/current} and switches it atomically.
 * Both packages are scored the same way at the same time: int8 on today's test split, latency
 * measured now on the target, so a model is never promoted on numbers from another night's data.
 * {@code current} and {@code previous} are symlinks into {@code models/}; replacing a symlink by
 * rename is atomic, so a reader (classify, a phone sync) sees the old or the new package, never a mix.
 */
public final class Promotion {
    public static final String CURRENT = "current", PREVIOUS = "previous";

    /** A package scored on the dataset's test split; the accuracies are those of the reward's metric (macro or micro). */
    @JsonPropertyOrder({"package", "metric", "segmentAccuracy", "clipAccuracy", "latencyMs", "reward"})
    public record Score(String packageDir, String metric, double segmentAccuracy, double clipAccuracy, double latencyMs, double reward) {}

    /** The comparison behind a decision; {@code current} is null when there was no comparable current model. */
    @JsonPropertyOrder({"rule", "promote", "reason", "candidate", "current"})
    public record Decision(String rule, boolean promote, String reason, Score candidate, Score current) {}

    private Promotion() {}

    public static Decision decide(String rule, Path candidate, Path models, Path dataset, MnasReward reward, LatencyTarget target)
            throws IOException {
        Score cand = score(candidate, dataset, reward, target);
        Path current = models.resolve(CURRENT);
        if (!Files.exists(current)) return new Decision(rule, true, "no current model", cand, null);
        ModelPackage cur = ModelPackage.open(current);
        ModelPackage next = ModelPackage.open(candidate);
        if (!cur.labels().equals(next.labels())) {
            return new Decision(rule, true, "the genres changed " + cur.labels() + " -> " + next.labels() + ": the current model cannot answer", cand, null);
        }
        Score now = score(current.toRealPath(), dataset, reward, target);
        boolean better = switch (rule) {
            case "always" -> true;
            case "accuracy" -> cand.segmentAccuracy() > now.segmentAccuracy();
            default -> cand.reward() > now.reward();
        };
        String what = rule.equals("accuracy") ? String.format("test accuracy %.4f vs %.4f", cand.segmentAccuracy(), now.segmentAccuracy())
                : String.format("reward %.4f vs %.4f", cand.reward(), now.reward());
        return new Decision(rule, better, (better ? "better " : "not better ") + what + " (candidate vs current)", cand, now);
    }

    static Score score(Path pkg, Path dataset, MnasReward reward, LatencyTarget target) throws IOException {
        ModelPackage p = ModelPackage.open(pkg);
        int frames = (int) p.spec().input()[2];
        SegmentDataset test = SegmentDataset.load(dataset, Split.TEST, frames, frames / 2);
        if (test.size() == 0) throw new IOException(dataset + ": the test split is empty; a promotion needs one to compare models on");
        Path model = p.model(p.hasInt8());
        Evaluation e;
        try (OnnxModel m = new OnnxModel(model, 1)) {
            e = OnnxEvaluation.of(m, test, p.labels()).evaluation();
        }
        double ms = target.time(Files.readAllBytes(model)).p50();
        return new Score(pkg.toString(), reward.metric().label(), reward.metric().segment(e), reward.metric().clip(e), ms, reward.of(e, ms));
    }

    /**
     * Copies the package to {@code models/NAME} and points {@code current} at it; the package
     * {@code current} pointed at stays, named by {@code previous}. A {@code current} that is a plain
     * directory (written by {@code genre demo}) is first moved aside to {@code models/NAME-before}.
     */
    public static Path promote(Path candidate, Path models, String name) throws IOException {
        Files.createDirectories(models);
        Path dest = models.resolve(name);
        if (!Files.isDirectory(dest)) AtomicFiles.copyDirectory(candidate, dest);
        Path current = models.resolve(CURRENT);
        Path old = null;
        if (Files.isSymbolicLink(current)) {
            old = current.toRealPath();
        } else if (Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
            old = models.resolve(name + "-before");
            Files.move(current, old, StandardCopyOption.ATOMIC_MOVE);
        }
        AtomicFiles.replaceSymlink(models.resolve(CURRENT), dest);
        if (old != null && !old.equals(dest.toRealPath())) AtomicFiles.replaceSymlink(models.resolve(PREVIOUS), old);
        return dest;
    }
}
