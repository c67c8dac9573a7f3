package dev.genre.audio.decode;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/** How a file is decoded, chosen by its extension and confirmed by its leading bytes. */
public enum AudioFormatKind {
    WAV("RIFF/WAVE"), AU("Sun AU"), AIFF("AIFF"), MP3("MP3"), FLAC("FLAC"), FFMPEG("ffmpeg-decoded");

    private static final Set<String> FFMPEG_EXTENSIONS =
            Set.of("ogg", "oga", "opus", "m4a", "aac", "wma", "mp4", "webm", "mka", "ac3", "amr", "ape", "wv");

    private final String label;

    AudioFormatKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The kind for a file name, or null when the extension is not audio this project knows. */
    public static AudioFormatKind of(Path file) {
        String ext = extension(file);
        return switch (ext) {
            case "wav", "wave" -> WAV;
            case "au", "snd" -> AU;
            case "aif", "aiff", "aifc" -> AIFF;
            case "mp3" -> MP3;
            case "flac" -> FLAC;
            default -> FFMPEG_EXTENSIONS.contains(ext) ? FFMPEG : null;
        };
    }

    public static boolean isAudio(Path file) {
        return of(file) != null;
    }

    public static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
