package dev.genre.search.cv;

import dev.genre.run.Progress;

/** Names the fold in every task the trainer reports ("genre (DJL) fold 2/5 epoch 3/30"), so a long run's lines say where it is. */
final class FoldProgress extends Progress {
    private final Progress inner;
    private final String prefix;

    FoldProgress(Progress inner, String prefix) {
        this.inner = inner;
        this.prefix = prefix;
    }

    @Override
    public void start(String task, long total) {
        inner.start(prefix + " " + task, total);
    }

    @Override
    public void step(String detail) {
        inner.step(detail);
    }

    @Override
    public void finish() {
        inner.finish();
    }
}
