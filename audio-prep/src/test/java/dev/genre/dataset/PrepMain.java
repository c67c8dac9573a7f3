package dev.genre.dataset;

import dev.genre.audio.mel.MelParams;
import dev.genre.run.Progress;
import java.nio.file.Path;

/** Runs prep in its own JVM so that {@link PrepInterruptionTest} can kill it with SIGKILL. */
public final class PrepMain {
    private PrepMain() {}

    public static void main(String[] args) throws Exception {
        System.out.println("started");
        new DatasetPrep(options(), Progress.none(), System.err).run(Path.of(args[0]), Path.of(args[1]));
    }

    static PrepOptions options() {
        return new PrepOptions(MelParams.defaults(), SplitSpec.parse("0.8,0.1,0.1", 4), 128, 1);
    }
}
