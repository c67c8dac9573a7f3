package dev.genre.search.strategy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.genre.io.AtomicFiles;
import dev.genre.io.Json;
import dev.genre.search.controller.Adam;
import dev.genre.search.controller.LstmController;
import dev.genre.search.net.Scalars;
import dev.genre.search.space.ArchChoice;
import dev.genre.search.space.SearchSpace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * ENAS (Pham et al. 2018): an LSTM controller samples children; each scored child trains it by
 * REINFORCE with an exponential-moving-average baseline and an entropy bonus. Shared weights are
 * trained on the controller's own samples, as in ENAS.
 */
public final class EnasStrategy implements SearchStrategy {
    static final String STATE = "enas.json";

    /** {@code arrays} names the file holding the controller weights, then Adam's first and second moments. */
    record State(long step, double baseline, String arrays) {}

    private final EnasConfig cfg;
    private final NDManager manager;
    private final LstmController controller;
    private final Adam adam;
    private double baseline = Double.NaN; // NaN until the first reward
    private double entropy = Double.NaN;

    public EnasStrategy(SearchSpace space, EnasConfig cfg, NDManager parent) {
        this.cfg = cfg;
        this.manager = parent.newSubManager();
        this.controller = new LstmController(space.decisionSizes(), SearchSpace.DECISIONS_PER_BLOCK, cfg.hidden(), cfg.temperature(),
                cfg.tanhConstant(), cfg.initRange(), cfg.seed(), manager);
        this.adam = new Adam(controller.parameters(), cfg.beta1(), cfg.beta2(), cfg.epsilon(), manager);
    }

    @Override
    public String name() {
        return "enas";
    }

    @Override
    public ArchChoice sampleForTraining(SplittableRandom rng) {
        return sample(rng);
    }

    @Override
    public ArchChoice propose(SplittableRandom rng) {
        return sample(rng);
    }

    private ArchChoice sample(SplittableRandom rng) {
        LstmController.Sample s = controller.sample(rng);
        entropy = s.meanEntropy();
        return ArchChoice.ofTokens(s.tokens());
    }

    /**
     * One REINFORCE step: minimises {@code -(reward - baseline) * log p(child) - entropyWeight * entropy}. The advantage is
     * taken against the baseline before this reward enters it, and the baseline starts at the first reward rather than
     * at 0, so the first steps do not reinforce whatever happened to be sampled.
     */
    @Override
    public void observe(ArchChoice child, double reward) {
        if (!Double.isFinite(reward)) throw new IllegalArgumentException("reward " + reward);
        double advantage = Double.isNaN(baseline) ? 0 : reward - baseline;
        baseline = Double.isNaN(baseline) ? reward : cfg.baselineDecay() * baseline + (1 - cfg.baselineDecay()) * reward;
        try (NDManager pass = manager.newSubManager()) {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                LstmController.Scores s = controller.score(child.tokens(), pass);
                NDArray logProb = s.logProb(), entropy = s.entropy();
                gc.backward(logProb.mul(Scalars.like(logProb, (float) -advantage)).sub(entropy.mul(Scalars.like(entropy, (float) cfg.entropyWeight()))));
            }
            adam.update(cfg.lr());
        }
    }

    @Override
    public double entropy() {
        return entropy;
    }

    /** The reward baseline (NaN before the first reward). */
    public double baseline() {
        return baseline;
    }

    /** The controller, for inspection (its log-probabilities and entropy). */
    public LstmController controller() {
        return controller;
    }

    /** Arrays to a file named by the step, then {@value #STATE} naming it, so a kill leaves the previous state whole. */
    @Override
    public void save(Path dir) throws IOException {
        String arrays = String.format("controller-%06d.ndlist", adam.step());
        NDList all = new NDList();
        all.addAll(controller.parameters());
        all.addAll(adam.state());
        AtomicFiles.write(dir.resolve(arrays), all::encode);
        Json.write(dir.resolve(STATE), new State(adam.step(), baseline, arrays));
        try (Stream<Path> s = Files.list(dir)) { // older steps are no longer referenced
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith("controller-") && n.endsWith(".ndlist") && !n.equals(arrays)) Files.delete(p);
            }
        }
    }

    @Override
    public void load(Path dir) throws IOException {
        State s = Json.read(dir.resolve(STATE), State.class);
        try (NDManager tmp = manager.newSubManager(); InputStream in = Files.newInputStream(dir.resolve(s.arrays()))) {
            NDList saved = NDList.decode(tmp, in);
            List<NDArray> params = controller.parameters();
            if (saved.size() != 3 * params.size()) {
                throw new IOException(dir.resolve(s.arrays()) + " holds " + saved.size() + " arrays, expected " + 3 * params.size()
                        + " (a controller of another size or space?)");
            }
            for (int i = 0; i < params.size(); i++) {
                if (!saved.get(i).getShape().equals(params.get(i).getShape())) {
                    throw new IOException(dir.resolve(s.arrays()) + ": array " + i + " is " + saved.get(i).getShape() + ", expected " + params.get(i).getShape());
                }
                params.get(i).set(saved.get(i).toByteBuffer());
            }
            adam.restore(saved.subList(params.size(), saved.size()), s.step());
        }
        baseline = s.baseline();
    }

    @Override
    public void close() {
        controller.close();
        manager.close();
    }
}
