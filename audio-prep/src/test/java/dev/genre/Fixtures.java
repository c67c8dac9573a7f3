package dev.genre;

import java.nio.file.Path;

/** Paths of the committed test fixtures (see fixtures/make-fixtures.sh). */
public final class Fixtures {
    private Fixtures() {}

    public static Path file(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/fixtures/" + name).toURI());
        } catch (Exception e) {
            throw new IllegalStateException("missing fixture " + name, e);
        }
    }

    /** The GTZAN dev set beside the project, or null when this machine does not have it. */
    public static Path gtzan() {
        for (Path p : new Path[] {Path.of("../shared/data/gtzan-dev"), Path.of("../../shared/data/gtzan-dev")}) {
            if (p.resolve("blues").toFile().isDirectory()) return p;
        }
        return null;
    }
}
