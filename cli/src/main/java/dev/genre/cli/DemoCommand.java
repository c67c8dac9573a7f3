package dev.genre.cli;

import dev.genre.audio.synth.SyntheticDataset;
import dev.genre.audio.synth.SyntheticGenres;
import dev.genre.dataset.PrepOptions;
import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** The main job on the embedded default data: synthesize clips, then prepare the dataset. */
final class DemoCommand implements Command {
    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "run the pipeline on synthetic default data (synth -> prep) under data/";
    }

    @Override
    public String usage() {
        return "[--data DIR] [--clips-per-genre N] [--seconds S] [--seed K]";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Flags.value("data", "DIR", "data folder (default data)"));
        o.addOption(Flags.value("clips-per-genre", "N", "clips per genre (default 12)"));
        o.addOption(Flags.value("seconds", "S", "clip length (default 15)"));
        o.addOption(Flags.value("seed", "K", "seed (default 0)"));
        return o;
    }

    @Override
    public int run(CommandLine cmd) throws Exception {
        Path data = Flags.path(cmd, "data", "data");
        Path clips = data.resolve("clips/synth"), dataset = data.resolve("datasets/synth");
        long seed = Flags.longValue(cmd, "seed", 0);
        SyntheticDataset.Options o = new SyntheticDataset.Options(SyntheticGenres.MAX, Flags.intValue(cmd, "clips-per-genre", 12),
                Flags.doubleValue(cmd, "seconds", 15), seed);
        int rc = SynthCommand.synth(clips, o);
        if (rc != OK) return rc;
        PrepOptions d = PrepOptions.defaults();
        return PrepCommand.prep(clips, dataset, new PrepOptions(d.mel(), new dev.genre.dataset.SplitSpec(d.split().fractions(), seed),
                d.segmentFrames(), d.threads()));
    }
}
