package dev.genre.search.controller;

import java.util.SplittableRandom;

/**
 * The controller's forward pass in plain Java on a copy of its weights, for sampling: the same
 * cell, heads and squashing as {@link LstmController#score}, without DJL's per-op overhead.
 * Taken fresh for every sample, so it always sees the latest update.
 */
final class ForwardCopy {
    private final LstmController m;
    private final int hidden, gates;
    private final int columns;
    private final float[] inputs, wh, wx, bias, headW, headB;

    ForwardCopy(LstmController m) {
        this.m = m;
        hidden = m.hidden;
        gates = 4 * hidden;
        columns = m.columns;
        inputs = m.inputs.toFloatArray();
        wh = m.wh.toFloatArray();
        wx = m.wx.toFloatArray();
        bias = m.bias.toFloatArray();
        headW = m.headW.toFloatArray();
        headB = m.headB.toFloatArray();
    }

    LstmController.Sample sample(SplittableRandom rng) {
        int n = m.sizes.length;
        int[] tokens = new int[n];
        float[] h = new float[hidden], c = new float[hidden], g = new float[gates];
        double logProb = 0, entropy = 0;
        for (int t = 0; t < n; t++) {
            int x = (m.inputRow[t] + (t == 0 ? 0 : tokens[t - 1])) * hidden;
            System.arraycopy(bias, 0, g, 0, gates);
            for (int i = 0; i < hidden; i++) {
                float hi = h[i], xi = inputs[x + i];
                int row = i * gates;
                for (int j = 0; j < gates; j++) g[j] += hi * wh[row + j] + xi * wx[row + j];
            }
            for (int j = 0; j < hidden; j++) {
                c[j] = sigmoid(g[hidden + j]) * c[j] + sigmoid(g[j]) * (float) Math.tanh(g[2 * hidden + j]);
                h[j] = sigmoid(g[3 * hidden + j]) * (float) Math.tanh(c[j]);
            }
            double[] p = probabilities(h, m.headOffset[t], m.sizes[t]);
            double u = rng.nextDouble(), cum = 0;
            int pick = p.length - 1;
            for (int k = 0; k < p.length; k++) {
                cum += p[k];
                if (u < cum) {
                    pick = k;
                    break;
                }
            }
            tokens[t] = pick;
            logProb += Math.log(p[pick]);
            for (double q : p) entropy -= q > 0 ? q * Math.log(q) : 0;
        }
        return new LstmController.Sample(tokens, logProb, entropy / n);
    }

    private double[] probabilities(float[] h, int offset, int options) {
        double[] p = new double[options];
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int k = 0; k < options; k++) {
            double z = headB[offset + k];
            for (int i = 0; i < hidden; i++) z += h[i] * headW[i * columns + offset + k];
            p[k] = m.tanhConstant * Math.tanh(z / m.temperature);
            max = Math.max(max, p[k]);
        }
        for (int k = 0; k < options; k++) sum += p[k] = Math.exp(p[k] - max);
        for (int k = 0; k < options; k++) p[k] /= sum;
        return p;
    }

    private static float sigmoid(float v) {
        return (float) (1 / (1 + Math.exp(-v)));
    }
}
