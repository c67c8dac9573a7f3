package dev.genre.bench;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.genre.audio.mel.MelParams;
import dev.genre.dataset.DatasetPrep;
import dev.genre.dataset.Manifest;
import dev.genre.dataset.PrepOptions;
import dev.genre.dataset.SplitSpec;
import dev.genre.io.AtomicFiles;
import dev.genre.io.Json;
import dev.genre.run.Progress;
import dev.genre.search.cv.CrossValidation;
import dev.genre.search.cv.CvSummary;
import dev.genre.search.cv.FoldResult;
import dev.genre.search.cv.Folds;
import dev.genre.search.spec.NetworkSpec;
import dev.genre.search.train.TrainConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code genre bench cv}: song-level stratified k-fold cross-validation of the spectrogram
 * MobileNetV3-Small baseline with this project's trainer and recipe, and with a standard PyTorch
 * recipe (bench/pytorch_cv.py) on the same folds and the same log-mel files, one after the other
 * in the same run. The log-mels are computed once, by an incremental {@code genre prep} into
 * {@code work/dataset}; the fold assignment both peers read is {@code work/folds.json}. Reports
 * each fold's and the mean ± std of test clip and segment accuracy, and wall times.
 */
public final class CvBenchmark {
    public static final String ARCH = "mobilenetv3-small";
    public static final String FOLDS_FILE = "folds.json";
    public static final String PEER = "PyTorch recipe";
    static final String PEER_JSON = "pytorch.json";
    static final String PROTOCOL = "each fold is the test set exactly once: a fresh model trains on the other folds for a fixed number"
            + " of epochs and is scored once on the held-out fold; there is no validation split and nothing is chosen on the test fold";

    /**
     * @param data       clips folder, {@code <genre>/<clip>}
     * @param work       where the dataset, folds.json, fold views and runs go
     * @param recipe     the DJL trainer's recipe; its epochs, batch and seed also drive the peer
     * @param threads    libtorch threads for both peers, and prep threads
     * @param peerScript bench/pytorch_cv.py, or null to skip the peer
     * @param arch       the network this project's side trains: a reference name or a spec file (e.g. a search's best-spec.json)
     * @param foldSeed   seed of the fold assignment; the recipe's seed when null. Runs that share it and differ in the recipe's
     *                   seed train differently initialised models on the same folds: the members of {@code bench ensemble}
     */
    public record Config(Path data, Path work, int folds, TrainConfig recipe, int threads, Path peerScript, String python, String arch,
                         Long foldSeed) {
        public Config(Path data, Path work, int folds, TrainConfig recipe, int threads, Path peerScript, String python) {
            this(data, work, folds, recipe, threads, peerScript, python, ARCH, null);
        }

        public long foldAssignmentSeed() {
            return foldSeed == null ? recipe.seed() : foldSeed;
        }
    }

    /** The peer's folds and report, or the reason it did not run. */
    private record PeerRun(List<FoldResult> folds, Map<String, Object> report, double wallSeconds, String reason) {
        static PeerRun notRun(String reason) {
            return new PeerRun(null, null, 0, reason);
        }

        boolean ran() {
            return reason == null;
        }
    }

    private final Config cfg;
    private final PrintStream out;
    private final Progress progress;

    public CvBenchmark(Config cfg, PrintStream out, Progress progress) {
        this.cfg = cfg;
        this.out = out;
        this.progress = progress;
    }

    public Map<String, Object> run() throws Exception {
        Path dataset = cfg.work().resolve("dataset");
        long t0 = System.nanoTime();
        // All clips go to "train" here; the folds decide train and test per fold.
        PrepOptions prep = new PrepOptions(MelParams.defaults(), SplitSpec.parse("1,0,0", 0), cfg.recipe().segmentFrames(), cfg.threads());
        Manifest prepared = new DatasetPrep(prep, progress, System.err).run(cfg.data(), dataset);
        double melSeconds = (System.nanoTime() - t0) / 1e9;
        Folds folds = Folds.stratified(dataset, prepared, cfg.folds(), cfg.foldAssignmentSeed());
        Path foldsFile = cfg.work().resolve(FOLDS_FILE);
        folds.write(foldsFile);
        out.printf("cv: %d clips in %d genres from %s (%d rejected), log-mels in %.1f s; %d folds, seed %d -> %s%n", folds.clips().size(),
                folds.genres().size(), cfg.data(), prepared.rejects().size(), melSeconds, folds.folds(), folds.seed(), foldsFile);
        out.println("cv: " + PROTOCOL);
        // An earlier run's outputs (maybe with more folds, or a peer this run skips), and the exports of its fold models by bench
        // int8 and bench ensemble, must not pass for this run's.
        for (String stale : List.of("folds", "djl", PEER_JSON, "float", "int8")) AtomicFiles.deleteTree(cfg.work().resolve(stale));

        Engine.getInstance(); // loads libtorch, which must be there before its thread count is set
        JniUtils.setNumThreads(cfg.threads());
        long t1 = System.nanoTime();
        List<FoldResult> djl = new CrossValidation(cfg.recipe(), NetworkSpec.load(cfg.arch()), progress, out).run(dataset, prepared, folds, cfg.work());
        double djlWall = (System.nanoTime() - t1) / 1e9;
        PeerRun peer = cfg.peerScript() == null ? skip("--no-peer") : pytorch(foldsFile);

        Map<String, Object> r = new LinkedHashMap<>();
        r.put("benchmark", "cv");
        r.put("protocol", PROTOCOL);
        r.put("data", cfg.data().toAbsolutePath().normalize().toString());
        r.put("dataset", folds.dataset());
        r.put("foldsFile", foldsFile.toAbsolutePath().normalize().toString());
        r.put("folds", folds.folds());
        r.put("seed", folds.seed());
        r.put("trainingSeed", cfg.recipe().seed());
        r.put("epochs", cfg.recipe().epochs());
        r.put("clips", folds.clips().size());
        r.put("genres", folds.genres());
        r.put("rejected", prepared.rejects().size());
        r.put("melSeconds", melSeconds);
        Map<String, Object> djlSide = side(CrossValidation.NAME, djl, djlWall);
        djlSide.put("arch", cfg.arch());
        djlSide.put("recipe", cfg.recipe());
        djlSide.put("threads", cfg.threads());
        djlSide.put("runs", cfg.work().resolve("djl").toAbsolutePath().normalize().toString());
        r.put("djl", djlSide);
        if (peer.ran()) {
            Map<String, Object> peerSide = side(PEER, peer.folds(), peer.wallSeconds());
            peerSide.put("report", cfg.work().resolve(PEER_JSON).toAbsolutePath().normalize().toString());
            peer.report().forEach(peerSide::putIfAbsent);
            r.put("pytorch", peerSide);
            r.put("clipAccuracyDifference", CvSummary.of(djl).clipAccuracy().mean() - CvSummary.of(peer.folds()).clipAccuracy().mean());
            r.put("clipMacroAccuracyDifference", CvSummary.of(djl).clipMacroAccuracy().mean() - CvSummary.of(peer.folds()).clipMacroAccuracy().mean());
        } else {
            r.put("pytorch", Map.of("name", PEER, "available", false, "reason", peer.reason()));
        }
        table(djl, djlWall, peer, folds.genres());
        return r;
    }

    private static Map<String, Object> side(String name, List<FoldResult> folds, double wallSeconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("available", true);
        m.put("summary", CvSummary.of(folds));
        m.put("wallSeconds", wallSeconds);
        m.put("folds", folds);
        return m;
    }

    /** Runs the peer on the same folds, its progress lines passed through as they come. */
    private PeerRun pytorch(Path foldsFile) throws Exception {
        if (!Files.isRegularFile(cfg.peerScript())) return skip("script " + cfg.peerScript() + " not found");
        Path json = cfg.work().resolve(PEER_JSON);
        TrainConfig t = cfg.recipe();
        List<String> cmd = List.of(cfg.python(), cfg.peerScript().toString(), "--folds", foldsFile.toString(), "--json", json.toString(),
                "--epochs", Integer.toString(t.epochs()), "--batch", Integer.toString(t.batch()), "--threads", Integer.toString(cfg.threads()),
                "--seed", Long.toString(t.seed()), "--segment-frames", Integer.toString(t.segmentFrames()),
                "--train-hop", Integer.toString(t.trainHop()), "--eval-hop", Integer.toString(t.evalHop()));
        long t0 = System.nanoTime();
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            return skip("cannot run " + cfg.python() + " (" + e.getMessage() + ")");
        }
        Deque<String> tail = new ArrayDeque<>();
        try (BufferedReader lines = p.inputReader()) {
            for (String line; (line = lines.readLine()) != null; ) {
                out.println(line);
                tail.addLast(line);
                if (tail.size() > 3) tail.removeFirst();
            }
        }
        int rc = p.waitFor();
        double wall = (System.nanoTime() - t0) / 1e9;
        if (rc != 0 || !Files.isRegularFile(json)) return skip("exit " + rc + ": " + String.join(" | ", tail));
        JsonNode report = Json.MAPPER.readTree(json.toFile());
        List<FoldResult> folds = Json.MAPPER.convertValue(report.get("folds"), new TypeReference<List<FoldResult>>() {});
        Map<String, Object> rest = Json.MAPPER.convertValue(report, new TypeReference<Map<String, Object>>() {});
        rest.remove("folds"); // with their per-epoch history, they stay in pytorch.json
        return new PeerRun(folds, rest, wall, null);
    }

    private PeerRun skip(String reason) {
        out.println(PEER + ": skipped, " + reason);
        return PeerRun.notRun(reason);
    }

    private void table(List<FoldResult> djl, double djlWall, PeerRun peer, List<String> genres) {
        boolean both = peer.ran();
        out.println();
        out.printf("| fold | test clips | %s clip acc | clip macro acc | clip macro F1 | segment acc | time | %s clip acc | clip macro acc"
                + " | clip macro F1 | segment acc | time |%n", CrossValidation.NAME, PEER);
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (int i = 0; i < djl.size(); i++) {
            FoldResult d = djl.get(i);
            String right = both ? cells(peer.folds().get(i)) : "skipped | | | | ";
            out.printf("| %d | %d | %s | %s |%n", d.fold(), d.testClips(), cells(d), right);
        }
        CvSummary s = CvSummary.of(djl);
        String right = both ? summaryCells(CvSummary.of(peer.folds()), peer.wallSeconds()) : peer.reason() + " | | | | ";
        out.printf("| mean ± std | %d | %s | %s |%n", djl.stream().mapToInt(FoldResult::testClips).sum(), summaryCells(s, djlWall), right);
        out.println("(std over folds, n - 1; time per fold is training and testing; total is the whole side's wall time)");
        perGenre(djl, both ? peer.folds() : null, genres);
    }

    /** Each genre's recall and F1 over the test clips of all folds (every clip is tested once). */
    private void perGenre(List<FoldResult> djl, List<FoldResult> peer, List<String> genres) {
        int[][] mine = pooled(djl), theirs = peer == null ? null : pooled(peer);
        if (mine == null) return;
        out.println();
        out.printf("| genre | clips | %s recall | F1 |%s%n", CrossValidation.NAME, theirs == null ? "" : " " + PEER + " recall | F1 |");
        out.println("|---|---|---|---|" + (theirs == null ? "" : "---|---|"));
        for (int g = 0; g < mine.length; g++) {
            double[] a = recallF1(mine, g);
            String right = theirs == null ? "" : String.format(" %.3f | %.3f |", recallF1(theirs, g)[0], recallF1(theirs, g)[1]);
            out.printf("| %s | %d | %.3f | %.3f |%s%n", genres.get(g), (int) a[2], a[0], a[1], right);
        }
    }

    private static int[][] pooled(List<FoldResult> folds) {
        int[][] sum = null;
        for (FoldResult f : folds) {
            if (f.confusion() == null) return null;
            if (sum == null) sum = new int[f.confusion().length][f.confusion().length];
            for (int t = 0; t < sum.length; t++) for (int p = 0; p < sum.length; p++) sum[t][p] += f.confusion()[t][p];
        }
        return sum;
    }

    /** {recall, F1, support} of genre {@code g} in confusion matrix {@code m} [true][predicted]. */
    static double[] recallF1(int[][] m, int g) {
        int actual = 0, predicted = 0;
        for (int k = 0; k < m.length; k++) {
            actual += m[g][k];
            predicted += m[k][g];
        }
        double r = actual == 0 ? 0 : (double) m[g][g] / actual, p = predicted == 0 ? 0 : (double) m[g][g] / predicted;
        return new double[] {r, p + r == 0 ? 0 : 2 * p * r / (p + r), actual};
    }

    private static String cells(FoldResult f) {
        return String.format("%.3f | %.3f | %.3f | %.3f | %.0f s", f.clipAccuracy(), f.clipMacroAccuracy(), f.clipMacroF1(), f.segmentAccuracy(), f.seconds());
    }

    private static String summaryCells(CvSummary s, double wall) {
        return String.format("%s | %s | %s | %s | %.0f s total", s.clipAccuracy(), s.clipMacroAccuracy(), s.clipMacroF1(), s.segmentAccuracy(), wall);
    }
}
