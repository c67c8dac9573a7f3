package dev.genre.cli;

import dev.genre.bench.MelBenchmark;
import dev.genre.io.Json;
import dev.genre.run.RunRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

final class BenchCommand implements Command {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "benchmarks against their peers: 'bench mel' (log-mel vs torchaudio, prep, segment reader)";
    }

    @Override
    public String usage() {
        return "mel [--data DIR] [--output FILE.json] [--repeats N] [--threads N]";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Flags.value("data", "DIR", "<genre>/*.wav clips (default ../shared/data/gtzan-dev)"));
        o.addOption(Flags.value("output", "FILE", "results JSON (default data/bench/mel.json)"));
        o.addOption(Flags.value("repeats", "N", "repeats per measurement; medians are reported (default 3)"));
        o.addOption(Flags.value("threads", "N", "threads for the all-cores run (default: all cores)"));
        o.addOption(Flags.value("python", "EXE", "python with torch + torchaudio for the peer (default /usr/bin/python3)"));
        return o;
    }

    @Override
    public int run(CommandLine cmd) throws Exception {
        if (cmd.getArgList().size() != 1 || !cmd.getArgList().get(0).equals("mel")) {
            throw new IllegalArgumentException("expected a benchmark name: mel");
        }
        Instant started = Instant.now();
        Path output = Flags.path(cmd, "output", "data/bench/mel.json");
        Path home = Path.of(System.getProperty("genre.home", "."));
        MelBenchmark.Config cfg = new MelBenchmark.Config(Flags.path(cmd, "data", "../shared/data/gtzan-dev"),
                output.toAbsolutePath().getParent().resolve("mel-work"), Flags.intValue(cmd, "repeats", 3), Flags.threads(cmd),
                home.resolve("bench/torchaudio_logmel.py"), cmd.getOptionValue("python", "/usr/bin/python3"));
        Map<String, Object> result = new MelBenchmark(cfg, System.out).run();
        Json.write(output, result);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("data", cfg.data().toAbsolutePath().normalize().toString());
        params.put("repeats", cfg.repeats());
        params.put("threads", cfg.threads());
        RunRecord.of("bench mel", params, null, Map.of(), started, Map.of("results", output.toString()))
                .writeTo(output.toAbsolutePath().getParent());
        System.out.println("results: " + output);
        return OK;
    }
}
