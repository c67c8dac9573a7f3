package dev.genre.cli;

import dev.genre.audio.synth.SyntheticDataset;
import dev.genre.audio.synth.SyntheticGenres;
import dev.genre.run.Progress;
import dev.genre.run.RunRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

final class SynthCommand implements Command {
    @Override
    public String name() {
        return "synth";
    }

    @Override
    public String summary() {
        return "write synthetic-genre WAV clips (" + String.join(", ", SyntheticGenres.names(SyntheticGenres.MAX)) + ")";
    }

    @Override
    public String usage() {
        return "--output DIR [--genres N] [--clips-per-genre N] [--seconds S] [--seed K]";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Flags.required("output", "DIR", "clips folder to write, <genre>/<genre>.NNNNN.wav"));
        o.addOption(Flags.value("genres", "N", "how many genres, 1.." + SyntheticGenres.MAX + " (default " + SyntheticGenres.MAX + ")"));
        o.addOption(Flags.value("clips-per-genre", "N", "clips per genre (default 10)"));
        o.addOption(Flags.value("seconds", "S", "clip length in seconds (default 30)"));
        o.addOption(Flags.value("seed", "K", "random seed; the same seed gives the same bytes (default 0)"));
        return o;
    }

    @Override
    public int run(CommandLine cmd) throws Exception {
        SyntheticDataset.Options o = new SyntheticDataset.Options(Flags.intValue(cmd, "genres", SyntheticGenres.MAX),
                Flags.intValue(cmd, "clips-per-genre", 10), Flags.doubleValue(cmd, "seconds", 30), Flags.longValue(cmd, "seed", 0));
        return synth(Path.of(cmd.getOptionValue("output")), o);
    }

    static int synth(Path out, SyntheticDataset.Options o) throws Exception {
        Instant started = Instant.now();
        List<Path> files = SyntheticDataset.write(out, o, Progress.auto());
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("output", out.toAbsolutePath().normalize().toString());
        params.put("genres", SyntheticGenres.names(o.genres()));
        params.put("clipsPerGenre", o.clipsPerGenre());
        params.put("seconds", o.seconds());
        params.put("sampleRate", SyntheticDataset.RATE);
        RunRecord.of("synth", params, o.seed(), Map.of(), started, Map.of("clips", files.size())).writeTo(out);
        System.out.printf("synth: %d clips of %d genres (%.0f s each, seed %d) in %s%n", files.size(), o.genres(), o.seconds(),
                o.seed(), out);
        return OK;
    }
}
