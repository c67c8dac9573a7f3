package dev.genre.search.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.genre.io.AtomicFiles;
import dev.genre.io.Json;
import dev.genre.search.net.SpecNetwork;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The state after a finished epoch: weights (with batch-norm statistics), optimizer moments and
 * step, the weight average when the recipe keeps one, and the metric history. Weights, moments and
 * the average go to files named by epoch, each written
 * atomically, and {@code state.json} (written last, atomically) names them, so a kill at any
 * moment leaves the previous complete checkpoint in force.
 */
public final class Checkpoint {
    static final String DIR = "checkpoint";

    /** @param ema the weight average's file, null without one */
    record State(int epoch, long step, String params, String optimizer, String ema, List<EpochMetrics> history) {}

    private Checkpoint() {}

    static void save(Path out, SpecNetwork net, OptimizerState opt, WeightAverage ema, int epoch, List<EpochMetrics> history) throws IOException {
        Path dir = out.resolve(DIR);
        String params = String.format("params-e%04d.bin", epoch), optim = String.format("optimizer-e%04d.ndlist", epoch);
        String average = ema == null ? null : String.format("ema-e%04d.ndlist", epoch);
        AtomicFiles.write(dir.resolve(params), o -> net.saveParameters(new DataOutputStream(o)));
        AtomicFiles.write(dir.resolve(optim), o -> opt.state().encode(o));
        if (ema != null) AtomicFiles.write(dir.resolve(average), o -> ema.state().encode(o));
        Json.write(dir.resolve("state.json"), new State(epoch, opt.step, params, optim, average, history));
        try (Stream<Path> s = Files.list(dir)) { // older epochs are no longer referenced
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                boolean epochFile = n.startsWith("params-e") || n.startsWith("optimizer-e") || n.startsWith("ema-e");
                if (epochFile && !n.equals(params) && !n.equals(optim) && !n.equals(average)) Files.delete(p);
            }
        }
    }

    static State load(Path out, SpecNetwork net, OptimizerState opt, WeightAverage ema, NDManager manager) throws IOException {
        Path dir = out.resolve(DIR);
        if (!Files.isRegularFile(dir.resolve("state.json"))) return null;
        State s = Json.read(dir.resolve("state.json"), State.class);
        restoreWeights(net, dir.resolve(s.params()), manager);
        restoreOptimizer(opt, dir.resolve(s.optimizer()), s.step(), manager);
        if (ema != null) {
            if (s.ema() == null) throw new IOException(dir + ": the checkpoint holds no weight average to resume");
            try (InputStream in = Files.newInputStream(dir.resolve(s.ema()))) {
                NDList saved = NDList.decode(manager, in);
                ema.restore(saved);
                saved.close();
            }
        }
        return s;
    }

    /** Loads saved weights into {@code net}; the loaded arrays are new tensors, so trainable ones collect gradients again. */
    public static void restoreWeights(ai.djl.nn.Block net, Path file, NDManager manager) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            net.loadParameters(manager, in);
            collectGradients(net);
        } catch (MalformedModelException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Loaded arrays carry no gradient: the trainable ones of {@code net} collect gradients again. */
    public static void collectGradients(ai.djl.nn.Block net) {
        for (var p : net.getParameters()) if (p.getValue().requiresGradient()) p.getValue().getArray().setRequiresGradient(true);
    }

    /** Restores optimizer moments saved with {@code opt.state().encode(...)} at optimizer step {@code step}. */
    public static void restoreOptimizer(OptimizerState opt, Path file, long step, NDManager manager) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            NDList saved = NDList.decode(manager, in);
            opt.restore(saved, step);
            saved.close();
        }
    }
}
