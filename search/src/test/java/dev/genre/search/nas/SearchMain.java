package dev.genre.search.nas;

import ai.djl.ndarray.NDManager;
import dev.genre.run.Progress;
import dev.genre.search.strategy.SearchStrategies;
import java.nio.file.Path;

/** Runs a small ENAS search in its own JVM so that {@link SearchKillTest} can kill it with SIGKILL. */
public final class SearchMain {
    private SearchMain() {}

    public static void main(String[] args) throws Exception {
        System.out.println("started");
        System.out.flush();
        run(Path.of(args[0]), Path.of(args[1]), Boolean.parseBoolean(args[2]));
    }

    static SearchRun.Outcome run(Path data, Path out, boolean resume) throws Exception {
        SearchConfig c = SearchKillTest.config();
        try (NDManager m = NDManager.newBaseManager()) {
            return new SearchRun(c, SearchRunTest.MACS_LATENCY, Progress.none()).run(data, out, resume,
                    space -> SearchStrategies.create(c.strategy(), space, c.enas(), c.evolution(), m), m, 0);
        }
    }
}
