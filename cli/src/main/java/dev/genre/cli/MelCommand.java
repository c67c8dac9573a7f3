package dev.genre.cli;

import dev.genre.audio.decode.Audio;
import dev.genre.audio.decode.AudioDecodeException;
import dev.genre.audio.decode.AudioDecoder;
import dev.genre.audio.mel.LogMelSpectrogram;
import dev.genre.audio.mel.MelParams;
import dev.genre.io.Npy;
import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

final class MelCommand implements Command {
    @Override
    public String name() {
        return "mel";
    }

    @Override
    public String summary() {
        return "write one clip's log-mel spectrogram as .npy (float32 [n_mels, frames])";
    }

    @Override
    public String usage() {
        return "FILE --output FILE.npy [mel flags]";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Flags.required("output", "FILE.npy", "where to write the spectrogram"));
        Flags.addMel(o);
        return o;
    }

    @Override
    public int run(CommandLine cmd) throws Exception {
        if (cmd.getArgList().size() != 1) throw new IllegalArgumentException("expected exactly one audio FILE");
        Path in = Path.of(cmd.getArgList().get(0));
        MelParams p = Flags.mel(cmd);
        Audio audio;
        try {
            audio = new AudioDecoder(p.sampleRate()).decode(in);
        } catch (AudioDecodeException e) {
            System.err.println(e.getMessage());
            return FAILED;
        }
        Npy.Matrix m = new LogMelSpectrogram(p).compute(audio.samples());
        Path out = Path.of(cmd.getOptionValue("output"));
        Npy.write(out, m);
        System.out.printf("mel: %s -> %s [%d x %d] (%.2f s at %d Hz)%n", in, out, m.rows(), m.cols(), audio.seconds(), p.sampleRate());
        return OK;
    }
}
