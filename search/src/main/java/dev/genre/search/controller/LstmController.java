package dev.genre.search.controller;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The ENAS controller: one LSTM cell that emits a sequence of decisions, each decision's
 * embedding being the next step's input and a learned vector the first input. Logits are
 * squashed as in ENAS, {@code c * tanh(z / T)}.
 *
 * <p>Embeddings are per decision type (an option means the same thing in every block: "the last
 * block chose hswish"), as in ENAS. Softmax heads are per decision position: the right width or
 * op differs between the first and the last block (feature sizes, latency), and a head of its
 * own learns that in the few hundred REINFORCE steps we take, where a head shared across blocks
 * would have to route it through the LSTM state. They cost hidden x options weights each, 8.5k in
 * all for the default space.
 *
 * <p>Training runs in DJL ({@link #score}: teacher-forced, autograd). Sampling runs the same
 * cell in plain Java on a copy of the weights ({@link ForwardCopy}): a sample is 49 dependent
 * steps of tiny ops, and at ~20 µs per DJL op that took 25 ms, against ~1 ms in Java. The
 * consistency test holds the two to the same numbers.
 */
public final class LstmController implements AutoCloseable {
    /** A sampled child: its tokens, their total log-probability and the mean per-decision entropy, in nats. */
    public record Sample(int[] tokens, double logProb, double meanEntropy) {}

    /** Teacher-forced sums over decisions of log p(token) and of the entropy, scalars in the autograd graph. */
    public record Scores(NDArray logProb, NDArray entropy) {}

    /** Logits outside a decision's own options when all heads are computed as one matrix; exp() of it is exactly 0. */
    private static final float MASKED = -1e4f;

    final int[] sizes;
    final int types;
    final int hidden;
    final double temperature;
    final double tanhConstant;
    final int[] headOffset;  // per position: first column of its head in headW
    final int[] inputRow;    // per position t >= 1: first row of decision t-1's type embeddings in inputs
    final int inputRows;     // 1 + options of all types
    final int columns;       // options of all positions
    private final NDManager manager;
    final NDArray inputs;    // [1 + options of all types, H]: row 0 the first input, then each type's embeddings
    final NDArray wh, wx;    // [H, 4H]: the cell's weights on the state and the input; columns are the gates i, f, g, o
    final NDArray bias;      // [1, 4H]
    final NDArray headW;     // [H, options of all positions]
    final NDArray headB;     // [1, options of all positions]
    private final List<NDArray> parameters = new ArrayList<>();

    /**
     * @param sizes options of each decision, in sampling order
     * @param types decision types repeat with this period (decision {@code t} has type {@code t % types})
     */
    public LstmController(int[] sizes, int types, int hidden, double temperature, double tanhConstant, double initRange, long seed,
                          NDManager parent) {
        if (sizes.length % types != 0) throw new IllegalArgumentException(sizes.length + " decisions are not whole blocks of " + types);
        int[] typeRow = new int[types];
        int rows = 1;
        for (int k = 0; k < types; k++) {
            typeRow[k] = rows;
            rows += sizes[k];
        }
        this.sizes = sizes.clone();
        this.types = types;
        this.hidden = hidden;
        this.temperature = temperature;
        this.tanhConstant = tanhConstant;
        headOffset = new int[sizes.length];
        inputRow = new int[sizes.length];
        int columns = 0;
        for (int t = 0; t < sizes.length; t++) {
            if (sizes[t] != sizes[t % types]) throw new IllegalArgumentException("decision " + t + " has " + sizes[t] + " options, its type " + sizes[t % types]);
            headOffset[t] = columns;
            columns += sizes[t];
            inputRow[t] = t == 0 ? 0 : typeRow[(t - 1) % types];
        }
        this.inputRows = rows;
        this.columns = columns;
        this.manager = parent.newSubManager();
        SplittableRandom init = new SplittableRandom(seed);
        inputs = weight(init, initRange, rows, hidden);
        wh = weight(init, initRange, hidden, 4 * hidden);
        wx = weight(init, initRange, hidden, 4 * hidden);
        bias = weight(init, initRange, 1, 4 * hidden);
        headW = weight(init, initRange, hidden, columns);
        headB = weight(init, initRange, 1, columns);
    }

    private NDArray weight(SplittableRandom rng, double range, int rows, int cols) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = (float) ((2 * rng.nextDouble() - 1) * range);
        NDArray w = manager.create(v, new Shape(rows, cols));
        w.setRequiresGradient(true);
        parameters.add(w);
        return w;
    }

    /** The trainable arrays, in a fixed order (for the optimizer and for saving). */
    public List<NDArray> parameters() {
        return List.copyOf(parameters);
    }

    /** Samples a child with {@code rng}, one uniform draw per decision against the probabilities. No gradient. */
    public Sample sample(SplittableRandom rng) {
        return new ForwardCopy(this).sample(rng);
    }

    /** Runs the controller on given tokens (teacher forcing) on {@code pass}; call inside a gradient collector to train. */
    public Scores score(int[] tokens, NDManager pass) {
        int n = sizes.length;
        if (tokens.length != n) throw new IllegalArgumentException(tokens.length + " tokens for " + n + " decisions");
        // Arrays made on the pass come first in every op, so results (and the graph) live on the pass.
        float[] inputPick = new float[n * inputRows], chosen = new float[n * columns], mask = new float[n * columns];
        Arrays.fill(mask, MASKED);
        for (int t = 0; t < n; t++) {
            inputPick[t * inputRows + inputRow[t] + (t == 0 ? 0 : tokens[t - 1])] = 1;
            chosen[t * columns + headOffset[t] + tokens[t]] = 1;
            Arrays.fill(mask, t * columns + headOffset[t], t * columns + headOffset[t] + sizes[t], 0f);
        }
        // With the inputs known, their projections are one product; only the recurrence is step by step.
        NDArray xw = pass.create(inputPick, new Shape(n, inputRows)).dot(inputs).dot(wx).add(bias);
        NDArray h = pass.zeros(new Shape(1, hidden)), c = pass.zeros(new Shape(1, hidden));
        NDList states = new NDList();
        for (int t = 0; t < n; t++) {
            NDArray gates = h.dot(wh).add(xw.get(t));
            NDList s = Activation.sigmoid(gates).split(4, 1), g = gates.tanh().split(4, 1);
            c = s.get(1).mul(c).add(s.get(0).mul(g.get(2)));
            h = s.get(3).mul(c.tanh());
            states.add(h);
        }
        // Every position's head at once; each row keeps only its own columns.
        NDArray logits = NDArrays.concat(states).dot(headW).add(headB).div(pass.create((float) temperature)).tanh()
                .mul(pass.create((float) tanhConstant)).add(pass.create(mask, new Shape(n, columns)));
        NDArray logp = logits.logSoftmax(1);
        return new Scores(logp.mul(pass.create(chosen, new Shape(n, columns))).sum(), logp.exp().mul(logp).sum().neg());
    }

    @Override
    public void close() {
        manager.close();
    }
}
