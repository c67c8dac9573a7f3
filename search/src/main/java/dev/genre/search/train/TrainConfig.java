package dev.genre.search.train;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The training recipe; recorded in every run's {@code train.json} and checked on resume.
 *
 * @param trainHop   frames between the nominal training segments; an epoch visits each once, at a random crop of its clip
 * @param evalHop    frames between evaluation segments
 * @param mixupAlpha Beta(alpha, alpha) mixing of pairs of segments and their labels, 0 = off
 * @param timeStretch tempo augmentation: each training crop covers rate x segmentFrames source frames, rate log-uniform
 *                    in [1 / (1 + timeStretch), 1 + timeStretch], resampled to segmentFrames; 0 = off
 * @param pitchShift  pitch augmentation: each training crop moves up or down by a uniform fraction of this many mel bins
 *                    (about half a semitone each above 1 kHz with 128 Slaney bins at 22.05 kHz); 0 = off
 * @param genreMix    probability that a training crop is blended (in dB, before normalisation) with a random crop of
 *                    another clip of the same genre, the partner weighted uniformly in [0, 0.5), the label kept: new
 *                    "songs" of a genre, against memorising the few there are; 0 = off
 * @param emaDecay    evaluate and export an exponential moving average of the weights with this decay
 *                    ({@link WeightAverage}); 0 = off, the last step's weights
 * @param dropPath    stochastic depth: in training, each identity-shortcut row skips its residual branch for a sample
 *                    with a probability rising linearly with depth to this value; 0 = off
 * @param sam         sharpness-aware minimisation's radius rho ({@link SharpnessAware}): each step takes its gradient at
 *                    the weights moved by rho along the normalised gradient, towards flat minima; 0 = off
 * @param balance     how genres with few clips are weighed in training ({@link ClassBalance}): none, sampler or loss
 */
@JsonPropertyOrder({"epochs", "batch", "optimizer", "lr", "momentum", "weightDecay", "warmupEpochs", "labelSmoothing",
        "mixupAlpha", "freqMasks", "freqMaskWidth", "timeMasks", "timeMaskWidth", "timeStretch", "pitchShift", "genreMix", "emaDecay", "dropPath", "sam", "segmentFrames", "trainHop", "evalHop", "seed", "balance"})
public record TrainConfig(int epochs, int batch, String optimizer, double lr, double momentum, double weightDecay,
                          int warmupEpochs, double labelSmoothing, double mixupAlpha, int freqMasks, int freqMaskWidth,
                          int timeMasks, int timeMaskWidth, double timeStretch, double pitchShift, double genreMix, double emaDecay, double dropPath, double sam, int segmentFrames, int trainHop, int evalHop, long seed,
                          String balance) {
    /** Chosen on the 242-clip 5-fold CV: +2.8 points of macro clip accuracy over none, loss +2.2 (docs/training.md). */
    public static final ClassBalance DEFAULT_BALANCE = ClassBalance.SAMPLER;

    public TrainConfig {
        if (balance == null) balance = ClassBalance.NONE.label(); // recipes recorded before the option: unbalanced
        ClassBalance.parse(balance);
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be at least 1");
        if (batch < 2) throw new IllegalArgumentException("--batch must be at least 2 (batch norm)");
        if (!optimizer.equals("adamw") && !optimizer.equals("sgd")) throw new IllegalArgumentException("--optimizer must be adamw or sgd");
        if (!(lr > 0)) throw new IllegalArgumentException("--lr must be positive");
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("--momentum must be in [0, 1)");
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("--weight-decay must not be negative");
        if (labelSmoothing < 0 || labelSmoothing >= 1) throw new IllegalArgumentException("label smoothing must be in [0, 1)");
        if (!(timeStretch >= 0 && timeStretch < 1)) throw new IllegalArgumentException("--time-stretch must be in [0, 1)");
        if (!(pitchShift >= 0)) throw new IllegalArgumentException("--pitch-shift must not be negative");
        if (!(genreMix >= 0 && genreMix <= 1)) throw new IllegalArgumentException("--genre-mix must be in [0, 1]");
        if (!(emaDecay >= 0 && emaDecay < 1)) throw new IllegalArgumentException("--ema must be in [0, 1)");
        if (!(dropPath >= 0 && dropPath < 1)) throw new IllegalArgumentException("--drop-path must be in [0, 1)");
        if (!(sam >= 0 && sam <= 1)) throw new IllegalArgumentException("--sam must be in [0, 1]");
    }

    public static TrainConfig defaults() {
        return new TrainConfig(30, 32, "adamw", 3e-3, 0.9, 0.05, 2, 0.1, 0.2, 2, 16, 2, 24, 0, 0, 0, 0, 0, 0, 128, 64, 64, 0, DEFAULT_BALANCE.label());
    }

    /** Unbalanced: the recipe of a caller that predates class balance (fine-tuning, tests). */
    public TrainConfig(int epochs, int batch, String optimizer, double lr, double momentum, double weightDecay, int warmupEpochs,
                       double labelSmoothing, double mixupAlpha, int freqMasks, int freqMaskWidth, int timeMasks, int timeMaskWidth,
                       double timeStretch, double pitchShift, double genreMix, double emaDecay, double dropPath, double sam, int segmentFrames,
                       int trainHop, int evalHop, long seed) {
        this(epochs, batch, optimizer, lr, momentum, weightDecay, warmupEpochs, labelSmoothing, mixupAlpha, freqMasks, freqMaskWidth, timeMasks,
                timeMaskWidth, timeStretch, pitchShift, genreMix, emaDecay, dropPath, sam, segmentFrames, trainHop, evalHop, seed, ClassBalance.NONE.label());
    }

    public ClassBalance classBalance() {
        return ClassBalance.parse(balance);
    }

    public TrainConfig withBalance(String balance) {
        return new TrainConfig(epochs, batch, optimizer, lr, momentum, weightDecay, warmupEpochs, labelSmoothing, mixupAlpha, freqMasks,
                freqMaskWidth, timeMasks, timeMaskWidth, timeStretch, pitchShift, genreMix, emaDecay, dropPath, sam, segmentFrames, trainHop, evalHop, seed, balance);
    }

    public TrainConfig with(int epochs, int batch, double lr, long seed) {
        return new TrainConfig(epochs, batch, optimizer, lr, momentum, weightDecay, Math.min(warmupEpochs, Math.max(0, epochs - 1)),
                labelSmoothing, mixupAlpha, freqMasks, freqMaskWidth, timeMasks, timeMaskWidth, timeStretch, pitchShift, genreMix, emaDecay, dropPath, sam, segmentFrames, trainHop, evalHop, seed, balance);
    }

    /**
     * The same recipe with another optimizer. AdamW's decay is decoupled (a fraction of the weight per
     * unit of learning rate) and SGD's is an L2 term added to the gradient, so the two want different
     * scales: see {@link #defaultLr} and {@link #defaultWeightDecay}.
     */
    public TrainConfig withOptimizer(String optimizer, double lr, double momentum, double weightDecay) {
        return new TrainConfig(epochs, batch, optimizer, lr, momentum, weightDecay, warmupEpochs, labelSmoothing, mixupAlpha, freqMasks,
                freqMaskWidth, timeMasks, timeMaskWidth, timeStretch, pitchShift, genreMix, emaDecay, dropPath, sam, segmentFrames, trainHop, evalHop, seed, balance);
    }

    /** Peak learning rate when none is given: 3e-3 for AdamW, 0.05 for SGD with momentum (batch 32). */
    public static double defaultLr(String optimizer) {
        return optimizer.equals("sgd") ? 0.05 : defaults().lr();
    }

    /**
     * Weight decay when none is given: AdamW 0.05; SGD 5e-4, which with momentum 0.9 and lr 0.05 shrinks
     * a weight by about as much per step (0.05 x 5e-4 / (1 - 0.9) = 2.5e-4) as AdamW's 3e-3 x 0.05.
     */
    public static double defaultWeightDecay(String optimizer) {
        return optimizer.equals("sgd") ? 5e-4 : defaults().weightDecay();
    }

    /** The same recipe with tempo and pitch augmentation (see the parameters). */
    public TrainConfig withTempoPitch(double timeStretch, double pitchShift) {
        return new TrainConfig(epochs, batch, optimizer, lr, momentum, weightDecay, warmupEpochs, labelSmoothing, mixupAlpha, freqMasks,
                freqMaskWidth, timeMasks, timeMaskWidth, timeStretch, pitchShift, genreMix, emaDecay, dropPath, sam, segmentFrames, trainHop, evalHop, seed, balance);
    }

    /** The same recipe with blends of same-genre clips (see the parameters). */
    public TrainConfig withGenreMix(double genreMix) {
        return new TrainConfig(epochs, batch, optimizer, lr, momentum, weightDecay, warmupEpochs, labelSmoothing, mixupAlpha, freqMasks,
                freqMaskWidth, timeMasks, timeMaskWidth, timeStretch, pitchShift, genreMix, emaDecay, dropPath, sam, segmentFrames, trainHop, evalHop, seed, balance);
    }

    /** The same recipe with sharpness-aware steps of radius {@code sam} (see the parameters). */
    public TrainConfig withSam(double sam) {
        return new TrainConfig(epochs, batch, optimizer, lr, momentum, weightDecay, warmupEpochs, labelSmoothing, mixupAlpha, freqMasks,
                freqMaskWidth, timeMasks, timeMaskWidth, timeStretch, pitchShift, genreMix, emaDecay, dropPath, sam, segmentFrames, trainHop, evalHop, seed, balance);
    }

    public TrainConfig withDropPath(double dropPath) {
        return new TrainConfig(epochs, batch, optimizer, lr, momentum, weightDecay, warmupEpochs, labelSmoothing, mixupAlpha, freqMasks,
                freqMaskWidth, timeMasks, timeMaskWidth, timeStretch, pitchShift, genreMix, emaDecay, dropPath, sam, segmentFrames, trainHop, evalHop, seed, balance);
    }

    /** The same recipe evaluated and exported through a moving average of its weights (see the parameters). */
    public TrainConfig withEma(double emaDecay) {
        return new TrainConfig(epochs, batch, optimizer, lr, momentum, weightDecay, warmupEpochs, labelSmoothing, mixupAlpha, freqMasks,
                freqMaskWidth, timeMasks, timeMaskWidth, timeStretch, pitchShift, genreMix, emaDecay, dropPath, sam, segmentFrames, trainHop, evalHop, seed, balance);
    }
}
