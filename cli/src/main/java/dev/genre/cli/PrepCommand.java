package dev.genre.cli;

import dev.genre.dataset.DatasetPrep;
import dev.genre.dataset.Manifest;
import dev.genre.dataset.PrepOptions;
import dev.genre.dataset.SplitSpec;
import dev.genre.run.Progress;
import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

final class PrepCommand implements Command {
    @Override
    public String name() {
        return "prep";
    }

    @Override
    public String summary() {
        return "turn a <genre>/<clip> folder into a log-mel dataset (incremental)";
    }

    @Override
    public String usage() {
        return "--input DIR --output DIR [mel flags] [--split 0.8,0.1,0.1] [--seed K] [--threads N]";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Flags.required("input", "DIR", "clips folder: <genre>/<clip>.{wav,au,aiff,mp3,...}"));
        o.addOption(Flags.required("output", "DIR", "dataset folder: manifest.json, mels/<genre>/<clip>.npy, run.json"));
        o.addOption(Flags.value("split", "T,V,T", "train,valid,test fractions per genre (default 0.8,0.1,0.1)"));
        o.addOption(Flags.value("seed", "K", "seed of the split assignment (default 0)"));
        o.addOption(Flags.value("segment-frames", "N", "frames per training segment; shorter clips are rejected (default 128)"));
        o.addOption(Flags.value("threads", "N", "clips decoded in parallel (default: all cores)"));
        Flags.addMel(o);
        return o;
    }

    @Override
    public int run(CommandLine cmd) throws Exception {
        PrepOptions o = new PrepOptions(Flags.mel(cmd),
                SplitSpec.parse(cmd.getOptionValue("split", "0.8,0.1,0.1"), Flags.longValue(cmd, "seed", 0)),
                Flags.intValue(cmd, "segment-frames", PrepOptions.DEFAULT_SEGMENT_FRAMES), Flags.threads(cmd));
        return prep(Path.of(cmd.getOptionValue("input")), Path.of(cmd.getOptionValue("output")), o);
    }

    static int prep(Path input, Path output, PrepOptions o) throws Exception {
        long t0 = System.nanoTime();
        Manifest m = new DatasetPrep(o, Progress.auto(), System.err).run(input, output);
        Manifest.Summary s = m.summary();
        System.out.printf("prep: %d clips in %d genres -> %s (%d new, %d changed, %d unchanged, %d removed, %d rejected) in %.1f s%n",
                m.clips().size(), m.genres().size(), output, s.added(), s.changed(), s.unchanged(), s.removed(), s.rejected(),
                (System.nanoTime() - t0) / 1e9);
        return s.rejected() > 0 ? SOME_REJECTED : OK;
    }
}
