package dev.genre.audio.decode;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Finds ffmpeg on the PATH and builds the command TarsosDSP's pipe decoder runs. */
public final class Ffmpeg {
    /**
     * TarsosDSP's pipe decoder logs two INFO lines per file through java.util.logging ("Starting
     * piped decoding process", "Finished piped decoding process"): 484 lines for a 242-clip prep. Its
     * warnings and errors still print. Held here so the setting is not collected with the logger.
     */
    private static final Logger PIPE_LOG = Logger.getLogger("be.tarsos.dsp.io.PipeDecoder");

    static {
        PIPE_LOG.setLevel(Level.WARNING);
    }

    private Ffmpeg() {}

    public static Path locate() {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, "ffmpeg");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return candidate;
        }
        return null;
    }

    /** TarsosDSP substitutes the placeholders; %resource% arrives already shell-quoted. */
    static String pipeCommand(Path ffmpeg) {
        return shellQuoted(ffmpeg) + " -nostdin -loglevel error -i %resource% -vn -ar %sample_rate% -ac %channels%"
                + " -sample_fmt s16 -f s16le pipe:1";
    }

    /** Single-quotes a path for /bin/sh so that no file name can inject a command. */
    static String shellQuoted(Path p) {
        return "'" + p.toAbsolutePath().toString().replace("'", "'\"'\"'") + "'";
    }
}
