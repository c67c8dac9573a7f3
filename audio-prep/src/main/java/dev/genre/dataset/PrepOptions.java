package dev.genre.dataset;

import dev.genre.audio.mel.MelParams;

/** Everything {@code genre prep} takes besides its folders. */
public record PrepOptions(MelParams mel, SplitSpec split, int segmentFrames, int threads) {
    public static final int DEFAULT_SEGMENT_FRAMES = 128;

    public PrepOptions {
        if (segmentFrames < 1) throw new IllegalArgumentException("segment frames must be positive");
        if (threads < 1) throw new IllegalArgumentException("--threads must be at least 1");
    }

    public static PrepOptions defaults() {
        return new PrepOptions(MelParams.defaults(), SplitSpec.parse("0.8,0.1,0.1", 0), DEFAULT_SEGMENT_FRAMES,
                Runtime.getRuntime().availableProcessors());
    }
}
