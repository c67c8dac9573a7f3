package dev.genre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genre.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code genre schedule start} as a real foreground process, driven by status, stop and runs from this one. */
class ScheduleCommandTest {
    @TempDir
    Path tmp;

    @Test
    void startStatusStopAndRuns() throws Exception {
        Path config = tmp.resolve("schedule.json");
        Files.writeString(config, """
                {"home": "%s",
                 "jobs": [{"name": "nightly", "cron": "0 30 2 * * ?", "timeZone": "UTC", "clips": "%s",
                           "search": {"device": "%s", "targetLatencyMs": 1.0, "timeBudget": "2h"}}]}
                """.formatted(tmp.resolve("data"), tmp.resolve("clips"), tmp.resolve("profile.json")));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                Genre.class.getName(), "schedule", "start", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("scheduler.log").toFile()).start();
        Path pid = tmp.resolve("data/scheduler/genre.pid");
        long end = System.currentTimeMillis() + 60_000;
        while (!Files.exists(pid) && p.isAlive() && System.currentTimeMillis() < end) Thread.sleep(50);
        assertTrue(Files.exists(pid), "no pid file: " + Files.readString(tmp.resolve("scheduler.log")));

        GenreTest.Result again = GenreTest.genre("schedule", "start", "--config", config.toString());
        assertEquals(1, again.code());
        assertTrue(again.err().contains("already running (pid " + p.pid() + ")"), again.err());

        GenreTest.Result status = GenreTest.genre("schedule", "status", "--config", config.toString(), "--json");
        assertEquals(0, status.code(), status.err());
        JsonNode s = Json.MAPPER.readTree(status.out());
        assertEquals(p.pid(), s.get("schedulerPid").asLong());
        assertEquals("nightly", s.get("jobs").get(0).get("job").asText());
        assertEquals("0 30 2 * * ?", s.get("jobs").get(0).get("cron").asText());
        assertEquals("NORMAL", s.get("jobs").get(0).get("state").asText());
        assertEquals(0, s.get("running").size());
        GenreTest.Result table = GenreTest.genre("schedule", "status", "--config", config.toString());
        assertTrue(table.out().contains("| nightly | 0 30 2 * * ? | NORMAL |"), table.out());

        GenreTest.Result stop = GenreTest.genre("schedule", "stop", "--config", config.toString());
        assertEquals(0, stop.code(), stop.err());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertFalse(Files.exists(pid), "the pid file goes with the scheduler");
        assertEquals(1, GenreTest.genre("schedule", "stop", "--config", config.toString()).code(), "nothing left to stop");

        GenreTest.Result runs = GenreTest.genre("runs", "--config", config.toString());
        assertEquals(0, runs.code(), runs.err());
        assertTrue(runs.out().contains("(no runs yet)"), runs.out());
        GenreTest.Result bad = GenreTest.genre("schedule", "status", "--config", tmp.resolve("missing.json").toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("missing.json: no such schedule config"), bad.err());
    }
    @Test
    void runsBeforeAnyScheduleIsAnEmptyHistory() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("fresh-checkout"));
        String before = System.getProperty("genre.home");
        System.setProperty("genre.home", home.toString());
        try {
            GenreTest.Result table = GenreTest.genre("runs");
            assertEquals(0, table.code(), table.err());
            assertTrue(table.out().contains("(no runs yet") && table.out().contains("genre schedule start"), table.out());
            GenreTest.Result json = GenreTest.genre("runs", "--json");
            assertEquals(0, json.code(), json.err());
            assertEquals("[]", json.out().trim());
            assertFalse(Files.exists(home.resolve("data")), "nothing is created by looking");
            GenreTest.Result named = GenreTest.genre("runs", "--config", home.resolve("typo.json").toString());
            assertEquals(1, named.code(), "a --config that names no file is still an error");
            assertTrue(named.err().contains("typo.json: no such schedule config"), named.err());
        } finally {
            if (before == null) System.clearProperty("genre.home");
            else System.setProperty("genre.home", before);
        }
    }
}
