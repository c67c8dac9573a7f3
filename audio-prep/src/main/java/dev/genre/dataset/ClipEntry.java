package dev.genre.dataset;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One prepared clip: where it came from (path relative to the input folder, sha256 of its bytes),
 * its split and its log-mel file (path relative to the dataset folder).
 */
@JsonPropertyOrder({"id", "genre", "source", "sha256", "seconds", "frames", "split", "status", "mel"})
public record ClipEntry(String id, String genre, String source, String sha256, double seconds, int frames,
                        Split split, String status, String mel) {
    public static final String OK = "ok";
}
