package dev.genre.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genre.audio.synth.SyntheticDataset;
import dev.genre.dataset.ClipEntry;
import dev.genre.dataset.Manifest;
import dev.genre.dataset.Split;
import dev.genre.io.Json;
import dev.genre.run.Progress;
import dev.genre.search.cv.Folds;
import dev.genre.search.train.TrainConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code genre bench cv} on 18 synthetic 5 s clips (3 genres x 6), 3 folds, 1 epoch, run once for
 * all tests: the folds are disjoint, stratified and seeded; each fold's dataset tests exactly its
 * clips and trains on the rest; both peers test every clip once; the JSON has its fields. The
 * PyTorch peer runs when /usr/bin/python3 has torch and torchvision; its checks skip otherwise.
 */
class CvBenchmarkTest {
    private static final int FOLDS = 3, GENRES = 3, CLIPS_PER_GENRE = 6;
    private static final long SEED = 5;

    @TempDir
    static Path tmp;
    static Path work;
    static boolean peer;
    static JsonNode json;
    static String log;

    @BeforeAll
    static void runBenchmark() throws Exception {
        Path clips = tmp.resolve("clips");
        SyntheticDataset.write(clips, new SyntheticDataset.Options(GENRES, CLIPS_PER_GENRE, 5, 1), Progress.none());
        peer = hasTorch();
        work = tmp.resolve("cv-work");
        TrainConfig recipe = TrainConfig.defaults().with(1, 8, 3e-3, SEED);
        CvBenchmark.Config cfg = new CvBenchmark.Config(clips, work, FOLDS, recipe, 2, peer ? Path.of("../bench/pytorch_cv.py") : null,
                "/usr/bin/python3");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Map<String, Object> result = new CvBenchmark(cfg, new PrintStream(printed, true), Progress.none()).run();
        log = printed.toString();
        Path output = tmp.resolve("cv.json");
        Json.write(output, result);
        json = Json.MAPPER.readTree(output.toFile());
    }

    @Test
    void foldsAreDisjointStratifiedAndSeeded() throws Exception {
        Folds folds = Folds.read(work.resolve(CvBenchmark.FOLDS_FILE));
        assertEquals(GENRES * CLIPS_PER_GENRE, folds.clips().size());
        assertEquals(folds.clips().size(), folds.clips().stream().map(Folds.Clip::source).distinct().count(), "a clip in two folds");
        for (int k = 1; k <= FOLDS; k++) {
            int fold = k;
            for (String g : folds.genres()) {
                long n = folds.test(fold).stream().filter(c -> c.genre().equals(g)).count();
                assertEquals(CLIPS_PER_GENRE / FOLDS, n, "fold " + k + ", genre " + g);
            }
        }
        Path dataset = Path.of(folds.dataset());
        Manifest prepared = Manifest.read(dataset);
        assertEquals(folds, Folds.stratified(dataset, prepared, FOLDS, SEED), "same seed, same folds");
        assertNotEquals(folds.clips(), Folds.stratified(dataset, prepared, FOLDS, SEED + 1).clips(), "another seed, other folds");
    }

    @Test
    void unevenGenresStayBalanced() {
        List<ClipEntry> clips = new ArrayList<>();
        List<String> genres = List.of("a", "b", "c", "d");
        for (String g : genres) {
            for (int i = 0; i < 7; i++) clips.add(new ClipEntry(g + i, g, g + "/" + g + i + ".wav", "x", 30, 1293, Split.TRAIN, ClipEntry.OK, "m"));
        }
        Manifest m = new Manifest(Manifest.FORMAT, true, "in", null, 128, null, genres, clips, List.of(), null);
        Folds folds = Folds.stratified(Path.of("d"), m, 3, 0);
        for (String g : genres) {
            List<Long> perFold = new ArrayList<>();
            for (int k = 1; k <= 3; k++) {
                int fold = k;
                perFold.add(folds.test(fold).stream().filter(c -> c.genre().equals(g)).count());
            }
            assertTrue(perFold.stream().allMatch(n -> n == 2 || n == 3), g + ": " + perFold);
        }
        List<Integer> sizes = List.of(folds.test(1).size(), folds.test(2).size(), folds.test(3).size());
        assertTrue(sizes.stream().allMatch(n -> n == 9 || n == 10), "fold sizes " + sizes);
    }

    @Test
    void eachFoldDatasetTestsItsFoldAndTrainsOnTheRest() throws Exception {
        Folds folds = Folds.read(work.resolve(CvBenchmark.FOLDS_FILE));
        Set<String> tested = new HashSet<>();
        for (int k = 1; k <= FOLDS; k++) {
            Path view = work.resolve("folds").resolve("fold-" + k);
            Manifest m = Manifest.read(view);
            Set<String> test = sources(m, Split.TEST), train = sources(m, Split.TRAIN);
            assertEquals(folds.test(k).stream().map(Folds.Clip::source).collect(Collectors.toSet()), test, "fold " + k + " test");
            assertEquals(folds.train(k).stream().map(Folds.Clip::source).collect(Collectors.toSet()), train, "fold " + k + " train");
            assertTrue(sources(m, Split.VALID).isEmpty(), "no validation split");
            for (ClipEntry c : m.clips()) assertTrue(Files.isRegularFile(view.resolve(c.mel())), "fold " + k + " points at " + c.mel());
            for (String s : test) assertTrue(tested.add(s), s + " tested twice");
        }
        assertEquals(GENRES * CLIPS_PER_GENRE, tested.size(), "every clip tested once");
    }

    @Test
    void djlSideTestsEveryClipOnce() {
        assertSide(json.get("djl"));
        assertTrue(json.get("djl").get("recipe").has("mixupAlpha"));
        assertTrue(log.contains("genre (DJL) fold 3/3: test clip accuracy"), log);
        assertTrue(log.contains("| mean ± std | " + GENRES * CLIPS_PER_GENRE + " |"), log);
    }

    @Test
    void pytorchPeerRunsOnTheSameFolds() {
        Assumptions.assumeTrue(peer, "skipping the PyTorch peer: /usr/bin/python3 has no torch/torchvision (apt-get install python3-torch python3-torchvision)");
        JsonNode p = json.get("pytorch");
        assertTrue(p.get("available").asBoolean(), "peer did not run: " + p + "\n" + log);
        assertSide(p);
        assertTrue(p.get("torch").asText().startsWith("1."), p.get("torch").asText());
        assertTrue(json.has("clipAccuracyDifference"));
        for (int i = 0; i < FOLDS; i++) {
            assertEquals(json.get("djl").get("folds").get(i).get("testSegments").asInt(), p.get("folds").get(i).get("testSegments").asInt(),
                    "both peers test the same windows");
        }
        assertTrue(log.contains("PyTorch recipe fold 1/3 epoch 1/1:"), log);
    }

    @Test
    void jsonRecordsTheRun() {
        for (String f : List.of("benchmark", "protocol", "data", "dataset", "foldsFile", "folds", "seed", "epochs", "clips", "genres",
                "melSeconds", "djl", "pytorch")) {
            assertTrue(json.has(f), "cv.json has " + f);
        }
        assertEquals(FOLDS, json.get("folds").asInt());
        assertEquals(SEED, json.get("seed").asLong());
        assertTrue(json.get("protocol").asText().contains("nothing is chosen on the test fold"));
    }

    private static void assertSide(JsonNode side) {
        JsonNode folds = side.get("folds");
        assertEquals(FOLDS, folds.size());
        int clips = 0;
        for (int i = 0; i < FOLDS; i++) {
            JsonNode f = folds.get(i);
            assertEquals(i + 1, f.get("fold").asInt());
            assertEquals(GENRES * CLIPS_PER_GENRE / FOLDS, f.get("testClips").asInt());
            assertEquals(GENRES * CLIPS_PER_GENRE - f.get("testClips").asInt(), f.get("trainClips").asInt());
            for (String acc : List.of("clipAccuracy", "segmentAccuracy")) {
                double v = f.get(acc).asDouble();
                assertTrue(v >= 0 && v <= 1, acc + " " + v);
            }
            assertTrue(f.get("seconds").asDouble() > 0);
            clips += f.get("testClips").asInt();
        }
        assertEquals(GENRES * CLIPS_PER_GENRE, clips, "each clip tested once");
        for (String acc : List.of("clipAccuracy", "segmentAccuracy")) {
            JsonNode s = side.get("summary").get(acc);
            assertTrue(s.has("mean") && s.has("std"), side.get("name") + " " + acc);
        }
        assertTrue(side.get("wallSeconds").asDouble() > 0);
    }

    private static Set<String> sources(Manifest m, Split split) {
        return m.clips().stream().filter(c -> c.split() == split).map(ClipEntry::source).collect(Collectors.toSet());
    }

    private static boolean hasTorch() {
        try {
            return new ProcessBuilder("/usr/bin/python3", "-c", "import torch, torchvision, numpy").start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
