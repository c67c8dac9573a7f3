package dev.genre.audio.decode;

import java.nio.file.Path;

/** A clip that cannot be turned into samples; the message is the one line a user sees. */
public class AudioDecodeException extends Exception {
    private final Path file;
    private final String problem;

    public AudioDecodeException(Path file, String problem) {
        this(file, problem, null);
    }

    public AudioDecodeException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    public Path file() {
        return file;
    }

    /** The problem without the file name, for manifests that already name the file. */
    public String problem() {
        return problem;
    }
}
