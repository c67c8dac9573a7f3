package dev.genre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genre.dataset.Manifest;
import dev.genre.io.Npy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The genre command as a user runs it: exit codes, help, and one-line errors. */
class GenreTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {}

    static synchronized Result genre(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true));
            System.setErr(new PrintStream(err, true));
            int code = Genre.run(args);
            return new Result(code, out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void helpListsEveryCommandAndEachHasItsOwnHelp() {
        Result r = genre("--help");
        assertEquals(0, r.code());
        for (String c : List.of("demo", "synth", "prep", "mel", "arch", "bench", "search")) {
            assertTrue(r.out().contains("  " + c + " "), c);
            Result h = genre(c, "--help");
            assertEquals(0, h.code(), c);
            assertTrue(h.out().contains("usage: genre " + c), h.out());
        }
    }

    @Test
    void usageErrorsExitTwoWithOneLine() {
        Result unknown = genre("frobnicate");
        assertEquals(2, unknown.code());
        assertEquals(1, unknown.err().lines().count());
        Result missing = genre("prep", "--input", "x");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("output"), missing.err());
        Result badNumber = genre("synth", "--output", tmp.toString(), "--genres", "many");
        assertEquals(2, badNumber.code());
        assertTrue(badNumber.err().contains("--genres must be a whole number"), badNumber.err());
    }

    @Test
    void searchDescribesItsSpaceAndChecksItsFlags() {
        Result d = genre("search", "--describe");
        assertEquals(0, d.code(), d.err());
        assertTrue(d.out().contains("144^7") && d.out().contains("mbconv6") && !d.out().contains("dconv"), "the elastic space by default: " + d.out());
        Result full = genre("search", "--describe", "--space", "mnasnet");
        assertTrue(full.out().contains("864^7") && full.out().contains("dconv"), full.out());
        Result missing = genre("search", "--data", tmp.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("--device is required"), missing.err());
        Result strategy = genre("search", "--data", "d", "--device", "p", "--target-latency-ms", "1", "--output", "o", "--strategy", "darts");
        assertEquals(2, strategy.code());
        assertTrue(strategy.err().contains("enas"), strategy.err());
        assertEquals(java.time.Duration.ofMinutes(90), dev.genre.schedule.config.SearchParams.budget("1h30m"));
        assertEquals(java.time.Duration.ofSeconds(45), dev.genre.schedule.config.SearchParams.budget("45s"));
        assertEquals(2, genre("search", "--data", "d", "--device", "p", "--target-latency-ms", "1", "--output", "o", "--time-budget", "soon").code());
    }

    @Test
    void archShowPrintsTheTableAndJsonFromTheSpec() throws Exception {
        Result table = genre("arch", "show", "mobilenetv3-small");
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().contains("total: 2,542,856 parameters, 56,510,400 MACs"), table.out());
        Result json = genre("arch", "show", "mobilenetv3-small", "--input", "1x128x128", "--classes", "10", "--json");
        assertEquals(0, json.code(), json.err());
        com.fasterxml.jackson.databind.JsonNode j = dev.genre.io.Json.MAPPER.readTree(json.out());
        assertEquals(1_527_818, j.get("params").asLong());
        assertEquals(17_654_784, j.get("macs").asLong());
        Result bad = genre("arch", "show", "resnet-50");
        assertEquals(1, bad.code());
        assertEquals(1, bad.err().lines().count());
    }

    @Test
    void synthPrepAndMelEndToEnd() throws Exception {
        Path clips = tmp.resolve("clips"), ds = tmp.resolve("ds");
        assertEquals(0, genre("synth", "--output", clips.toString(), "--genres", "6", "--clips-per-genre", "2", "--seconds", "4").code());
        assertTrue(Files.isRegularFile(clips.resolve("run.json")));
        Files.writeString(clips.resolve("rock/broken.wav"), "definitely not audio");
        Result prep = genre("prep", "--input", clips.toString(), "--output", ds.toString(), "--n-mels", "96", "--threads", "2");
        assertEquals(3, prep.code(), "some files rejected -> exit 3");
        assertEquals(List.of(clips.resolve("rock/broken.wav") + ": not a RIFF/WAVE file: its first bytes are not a RIFF/WAVE header"),
                prep.err().lines().filter(l -> !l.startsWith("prep:")).toList());
        Manifest m = Manifest.read(ds);
        assertEquals(12, m.clips().size());
        assertEquals(96, m.mel().nMels());
        assertEquals(1, m.rejects().size());

        Path npy = tmp.resolve("one.npy");
        Result mel = genre("mel", clips.resolve("jazz/jazz.00000.wav").toString(), "--output", npy.toString());
        assertEquals(0, mel.code(), mel.err());
        Npy.Matrix one = Npy.read(npy);
        assertEquals(128, one.rows());
        Result bad = genre("mel", clips.resolve("rock/broken.wav").toString(), "--output", tmp.resolve("bad.npy").toString());
        assertEquals(1, bad.code());
        assertEquals(1, bad.err().lines().count(), bad.err());
        assertTrue(!Files.exists(tmp.resolve("bad.npy")));
    }

    @Test
    void trainTakesTheOptimizerAndScalesItsDefaultsToIt() throws Exception {
        Path clips = tmp.resolve("clips"), ds = tmp.resolve("ds");
        assertEquals(0, genre("synth", "--output", clips.toString(), "--genres", "2", "--clips-per-genre", "3", "--seconds", "8").code());
        assertEquals(0, genre("prep", "--input", clips.toString(), "--output", ds.toString(), "--split", "0.34,0.33,0.33").code());
        String[] common = {"train", "--data", ds.toString(), "--epochs", "1", "--batch", "4"};

        Result sgd = genre(concat(common, "--optimizer", "sgd", "--output", tmp.resolve("sgd").toString()));
        assertEquals(0, sgd.code(), sgd.err());
        JsonNode c = new ObjectMapper().readTree(tmp.resolve("sgd/train.json").toFile()).get("config");
        assertEquals("sgd", c.get("optimizer").asText());
        assertEquals(0.05, c.get("lr").asDouble(), "SGD's own learning rate, not AdamW's 3e-3");
        assertEquals(5e-4, c.get("weightDecay").asDouble(), "an L2 term, not AdamW's decoupled 0.05");
        assertEquals(0.9, c.get("momentum").asDouble());

        Result given = genre(concat(common, "--optimizer", "sgd", "--lr", "0.02", "--momentum", "0.8", "--weight-decay", "1e-3",
                "--output", tmp.resolve("given").toString()));
        assertEquals(0, given.code(), given.err());
        JsonNode g = new ObjectMapper().readTree(tmp.resolve("given/train.json").toFile()).get("config");
        assertEquals(List.of(0.02, 0.8, 1e-3), List.of(g.get("lr").asDouble(), g.get("momentum").asDouble(), g.get("weightDecay").asDouble()));

        for (String[] bad : List.of(new String[] {"--optimizer", "adam"}, new String[] {"--momentum", "1"}, new String[] {"--weight-decay", "-1"})) {
            Path out = tmp.resolve("bad");
            Result r = genre(concat(common, concat(bad, "--output", out.toString())));
            assertEquals(2, r.code(), String.join(" ", bad));
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains(bad[0]), r.err());
            assertTrue(!Files.exists(out.resolve("train.json")), "nothing trained for " + bad[0]);
        }
    }

    private static String[] concat(String[] head, String... tail) {
        String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}
