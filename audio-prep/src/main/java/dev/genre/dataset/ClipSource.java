package dev.genre.dataset;

import dev.genre.audio.decode.AudioFormatKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A clip file found in the input folder, {@code <genre>/<file>}. The id is the file name without
 * its extension (GTZAN's {@code blues.00016}); when two files of a genre share a stem, both keep
 * their extension in the id so neither overwrites the other.
 */
record ClipSource(String genre, String id, Path file, String relative) {

    /** Every non-hidden file one level below a genre folder; top-level files (README, SHA256SUMS) are not clips. */
    static List<ClipSource> scan(Path input) throws IOException {
        if (!Files.isDirectory(input)) throw new IOException(input + ": not a folder of <genre>/<clip> files");
        List<ClipSource> out = new ArrayList<>();
        List<Path> genres;
        try (Stream<Path> s = Files.list(input)) {
            genres = s.filter(Files::isDirectory).filter(p -> !hidden(p)).sorted().toList();
        }
        for (Path g : genres) {
            List<Path> files;
            try (Stream<Path> s = Files.list(g)) {
                files = s.filter(Files::isRegularFile).filter(p -> !hidden(p)).sorted().toList();
            }
            Map<String, Integer> stems = new HashMap<>();
            for (Path f : files) stems.merge(stem(f), 1, Integer::sum);
            for (Path f : files) {
                String id = stems.get(stem(f)) > 1 ? f.getFileName().toString() : stem(f);
                out.add(new ClipSource(g.getFileName().toString(), id, f, input.relativize(f).toString().replace('\\', '/')));
            }
        }
        return out;
    }

    boolean looksLikeAudio() {
        return AudioFormatKind.isAudio(file);
    }

    private static String stem(Path f) {
        String n = f.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }
}
