package dev.genre.cli;

import dev.genre.audio.mel.MelParams;
import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** Flags several commands share: the log-mel recipe, seeds, thread counts. */
final class Flags {
    private Flags() {}

    static Option value(String longOpt, String arg, String desc) {
        return Option.builder().longOpt(longOpt).hasArg().argName(arg).desc(desc).build();
    }

    static Option required(String longOpt, String arg, String desc) {
        return Option.builder().longOpt(longOpt).hasArg().argName(arg).desc(desc).required().build();
    }

    static Option flag(String longOpt, String desc) {
        return Option.builder().longOpt(longOpt).desc(desc).build();
    }

    static void addMel(Options o) {
        MelParams d = MelParams.defaults();
        o.addOption(value("sample-rate", "HZ", "resample clips to this rate (default " + d.sampleRate() + ")"));
        o.addOption(value("n-fft", "N", "FFT size and Hann window length (default " + d.nFft() + ")"));
        o.addOption(value("hop", "N", "hop length in samples (default " + d.hopLength() + ")"));
        o.addOption(value("n-mels", "N", "mel bands (default " + d.nMels() + ")"));
        o.addOption(value("fmin", "HZ", "lowest mel frequency (default 0)"));
        o.addOption(value("fmax", "HZ", "highest mel frequency (default sample-rate/2)"));
        o.addOption(value("power", "P", "1 magnitude or 2 power spectrogram (default 2)"));
        o.addOption(value("mel-scale", "S", "slaney or htk (default slaney)"));
        o.addOption(value("norm", "N", "slaney (area) or none (default slaney)"));
        o.addOption(value("top-db", "DB", "clip to this many dB below the clip's maximum, or 'none' (default 80)"));
        o.addOption(value("pad-mode", "M", "constant (zeros, librosa >= 0.10) or reflect (default constant)"));
        o.addOption(flag("no-center", "frames start at sample 0 instead of being centred (librosa center=False)"));
    }

    static MelParams mel(CommandLine c) {
        int rate = intValue(c, "sample-rate", 22050);
        MelParams d = MelParams.defaults(rate);
        String topDb = c.getOptionValue("top-db", "80");
        return new MelParams(rate, intValue(c, "n-fft", d.nFft()), intValue(c, "hop", d.hopLength()), MelParams.HANN,
                !c.hasOption("no-center"), c.getOptionValue("pad-mode", d.padMode()), doubleValue(c, "power", d.power()),
                intValue(c, "n-mels", d.nMels()), doubleValue(c, "fmin", d.fMin()), doubleValue(c, "fmax", rate / 2.0),
                c.getOptionValue("mel-scale", d.melScale()), c.getOptionValue("norm", d.norm()), d.ref(), d.amin(),
                topDb.equals("none") ? null : Double.valueOf(parseDouble("top-db", topDb)));
    }

    static int intValue(CommandLine c, String name, int dflt) {
        String v = c.getOptionValue(name);
        if (v == null) return dflt;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + v + "'");
        }
    }

    static long longValue(CommandLine c, String name, long dflt) {
        String v = c.getOptionValue(name);
        if (v == null) return dflt;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + v + "'");
        }
    }

    static double doubleValue(CommandLine c, String name, double dflt) {
        String v = c.getOptionValue(name);
        return v == null ? dflt : parseDouble(name, v);
    }

    private static double parseDouble(String name, String v) {
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, got '" + v + "'");
        }
    }

    static Path path(CommandLine c, String name, String dflt) {
        return Path.of(c.getOptionValue(name, dflt));
    }

    static int threads(CommandLine c) {
        return intValue(c, "threads", Runtime.getRuntime().availableProcessors());
    }
}
