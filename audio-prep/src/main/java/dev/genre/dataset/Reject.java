package dev.genre.dataset;

/** A file that could not be prepared, and why, in the words the user saw. */
public record Reject(String source, String genre, String reason) {}
