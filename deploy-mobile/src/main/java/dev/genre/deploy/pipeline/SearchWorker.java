package dev.genre.deploy.pipeline;

import ai.djl.ndarray.NDManager;
import dev.genre.run.ChildJvm;
import dev.genre.run.Progress;
import dev.genre.run.ResidentMemory;
import dev.genre.search.nas.SearchRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The search's training passes in child JVMs. A worker runs passes until they are all done (exit
 * 0) or until its resident memory passes the hand-over limit after a checkpointed pass (exit
 * {@link #HAND_OVER}); the next worker resumes there exactly. libtorch under jemalloc without
 * purging grows by 0.3-1.5 GB per pass on GTZAN as every child has other tensor shapes, and the
 * process is the unit that gives that memory back. The parent never loads the supernet while the
 * workers run.
 *
 * <p>Limit: {@code -Dgenre.search.workerMemoryMb=N}, default a third of physical memory (at least
 * 2 GB): about every 5-8 passes on GTZAN with 24 GB, a few seconds of JVM and libtorch start each.
 */
public final class SearchWorker {
    /** Exit code of a worker that stopped early for a fresh process to continue (EX_TEMPFAIL). */
    static final int HAND_OVER = 75;

    private SearchWorker() {}

    /**
     * Runs workers until every pass of the run in {@code out} is done; returns how many ran.
     * {@code resume}: the run directory already has a search.
     */
    static int runPasses(Path out, boolean resume, Progress progress) throws IOException {
        if (resume && SearchRun.passes(out).finished()) return 0;
        for (int workers = 1; ; workers++) {
            boolean first = workers == 1;
            List<String> cmd = ChildJvm.command(SearchWorker.class.getName());
            cmd.add(out.toAbsolutePath().toString());
            cmd.add(Boolean.toString(resume || !first));
            Process p = new ProcessBuilder(cmd).inheritIO().start();
            Thread stopWorker = new Thread(p::destroy); // SIGTERM to this JVM stops the worker too (it checkpoints per pass)
            Runtime.getRuntime().addShutdownHook(stopWorker);
            int code;
            try {
                while (!p.waitFor(1, TimeUnit.SECONDS)) progress.pollStop();
                code = p.exitValue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(out + ": interrupted while the search worker ran", e);
            } finally {
                if (p.isAlive()) p.destroy();
                try {
                    Runtime.getRuntime().removeShutdownHook(stopWorker);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running already
                }
            }
            if (code == 0) return workers;
            progress.pollStop(); // a worker ended by a stop request (SIGTERM reaches it through our hook) is a stop, not a failure
            if (code != HAND_OVER) throw new IOException(out + ": the search worker failed (exit code " + code + "; its error is above)");
        }
    }

    static long limitBytes() {
        String mb = System.getProperty("genre.search.workerMemoryMb");
        if (mb != null) return Long.parseLong(mb) << 20;
        long physical = ResidentMemory.physical();
        return Math.max(2L << 30, physical > 0 ? physical / 3 : 0);
    }

    /** Arguments: RUN_DIR (with pipeline.json), resume (true/false). */
    public static void main(String[] args) {
        ChildJvm.exitWithParent();
        Path out = Path.of(args[0]);
        int code;
        try (Progress progress = Progress.auto(); NDManager m = NDManager.newBaseManager()) {
            SearchPipeline.Options o = SearchPipeline.Options.read(out);
            SearchPipeline.searchRun(o, progress).asWorker(limitBytes())
                    .run(Path.of(o.dataset()), out, Boolean.parseBoolean(args[1]), SearchPipeline.strategies(o, m), m, 0);
            SearchRun.Passes passes = SearchRun.passes(out);
            if (!passes.finished()) {
                System.err.printf("genre search: %d of %d passes done; %.1f GB resident, continuing in a fresh process%n", passes.done(),
                        passes.planned(), ResidentMemory.bytes() / 1e9);
            }
            code = passes.finished() ? 0 : HAND_OVER;
        } catch (Exception e) {
            System.err.println("genre search: " + out + ": " + e.getMessage());
            code = 1;
        }
        System.exit(code);
    }
}
