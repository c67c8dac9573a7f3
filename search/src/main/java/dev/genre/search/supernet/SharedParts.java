package dev.genre.search.supernet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import dev.genre.search.net.ChannelBatchNorm;
import dev.genre.search.net.Activations;
import dev.genre.search.net.ConvBnAct;
import dev.genre.search.spec.Activation;

/**
 * The shared-weight operators of the supernet. Each holds tensors of the widest shape any child
 * needs and gives a child the leading slice (channels [0, c)) and the centre of the largest kernel,
 * as SPOS, Single-Path NAS and OFA share weights; the slices are autograd views, so a child's
 * gradients land in the shared tensors.
 */
final class SharedParts {
    private SharedParts() {}

    /** Creates and registers a parameter of the supernet. */
    interface Registry {
        Parameter add(String name, Parameter.Type type, Shape shape);
    }

    /**
     * The leading slice of a shared tensor, as a view attached to {@code owner} (the batch's manager):
     * a slice left on the parameter's own manager would live, with the autograd graph it holds, as
     * long as the supernet (24 GB after a few epochs).
     */
    static NDArray slice(ChildPass pass, NDArray owner, Parameter p, long... leading) {
        return kernelSlice(pass, owner, p, 0, leading);
    }

    /**
     * As {@link #slice(ChildPass, NDArray, Parameter, long...)}, and the centre {@code kernel x kernel} of a 4-d
     * convolution weight (0: the whole kernel): a 3x3 child uses the middle of the 5x5 kernel, as in Single-Path NAS.
     */
    static NDArray kernelSlice(ChildPass pass, NDArray owner, Parameter p, int kernel, long... leading) {
        NDArray w = p.getArray();
        StringBuilder idx = new StringBuilder();
        long elements = 1;
        Shape s = w.getShape();
        for (int d = 0; d < s.dimension(); d++) {
            long n = d < leading.length ? leading[d] : s.get(d);
            if (n > s.get(d)) throw new IllegalStateException(p.getName() + ": slice " + n + " beyond " + s);
            idx.append(d == 0 ? "" : ",");
            if (d >= 2 && kernel > 0) {
                if (kernel > s.get(d) || (s.get(d) - kernel) % 2 != 0) throw new IllegalStateException(p.getName() + ": no centre " + kernel + " in " + s);
                long from = (s.get(d) - kernel) / 2;
                idx.append(from).append(':').append(from + kernel);
                n = kernel;
            } else {
                idx.append(d < leading.length ? ":" + n : ":");
            }
            elements *= n;
        }
        pass.use(p, elements);
        // Even an unsliced tensor goes through a view: ops on the parameter itself would put their results on its manager.
        return w.get(owner.getManager(), new NDIndex(idx.toString()));
    }

    /** k x k convolution (regular or depthwise) without bias, batch norm, optional activation; any odd k up to the largest. */
    static final class ConvBn {
        private final String name;
        private final Parameter weight, gamma, beta;
        private final int maxKernel;
        private final boolean depthwise;

        ConvBn(Registry r, String name, int outMax, int inMax, int maxKernel, boolean depthwise) {
            this.name = name;
            this.maxKernel = maxKernel;
            this.depthwise = depthwise;
            weight = r.add(name + ".weight", Parameter.Type.WEIGHT, new Shape(outMax, depthwise ? 1 : inMax, maxKernel, maxKernel));
            gamma = r.add(name + ".gamma", Parameter.Type.GAMMA, new Shape(outMax));
            beta = r.add(name + ".beta", Parameter.Type.BETA, new Shape(outMax));
        }

        NDArray forward(ChildPass pass, NDArray x, int out, int stride, Activation act) {
            return forward(pass, x, out, maxKernel, stride, act);
        }

        NDArray forward(ChildPass pass, NDArray x, int out, int kernel, int stride, Activation act) {
            int in = (int) x.getShape().get(1);
            NDArray w = depthwise ? kernelSlice(pass, x, weight, kernel, out) : kernelSlice(pass, x, weight, kernel, out, in);
            int pad = (kernel - 1) / 2;
            NDArray y = Conv2d.conv2d(x, w, null, new Shape(stride, stride), new Shape(pad, pad), new Shape(1, 1), depthwise ? out : 1)
                    .singletonOrThrow();
            y = batchNorm(pass, name, y, slice(pass, x, gamma, out), slice(pass, x, beta, out));
            return act == null ? y : Activations.apply(act, y);
        }
    }

    /** Batch norm of a child's channels in the pass's mode (see {@link BnMode}). */
    static NDArray batchNorm(ChildPass pass, String name, NDArray y, NDArray gamma, NDArray beta) {
        int c = (int) y.getShape().get(1);
        return switch (pass.mode()) {
            case TRAIN -> {
                NDArray mean = y.getManager().zeros(new Shape(c)), var = y.getManager().ones(new Shape(c));
                yield ChannelBatchNorm.apply(y, mean, var, gamma, beta, 0.9f, ConvBnAct.BN_EPS, true);
            }
            case CALIBRATE -> {
                // torch's running update with momentum 1/(b+1) is the plain average over calibration batches
                // (DJL passes 1 - momentum to torch).
                NDArray[] s = pass.stats(name, c);
                float djlMomentum = 1f - 1f / (pass.calibrationBatches() + 1);
                yield ChannelBatchNorm.apply(y, s[0], s[1], gamma, beta, djlMomentum, ConvBnAct.BN_EPS, true);
            }
            case EVAL -> {
                NDArray[] s = pass.stats(name, c);
                yield ChannelBatchNorm.apply(y, s[0], s[1], gamma, beta, 0.9f, ConvBnAct.BN_EPS, false);
            }
        };
    }

    /** MobileNetV3 squeeze-and-excitation on the leading channels. */
    static final class SqueezeExcite {
        private final Parameter w1, b1, w2, b2;

        SqueezeExcite(Registry r, String name, int channelsMax, int squeezeMax) {
            w1 = r.add(name + ".fc1.weight", Parameter.Type.WEIGHT, new Shape(squeezeMax, channelsMax, 1, 1));
            b1 = r.add(name + ".fc1.bias", Parameter.Type.BIAS, new Shape(squeezeMax));
            w2 = r.add(name + ".fc2.weight", Parameter.Type.WEIGHT, new Shape(channelsMax, squeezeMax, 1, 1));
            b2 = r.add(name + ".fc2.bias", Parameter.Type.BIAS, new Shape(channelsMax));
        }

        NDArray forward(ChildPass pass, NDArray x, int squeeze) {
            int c = (int) x.getShape().get(1);
            NDArray s = ai.djl.nn.pooling.Pool.globalAvgPool2d(x).reshape(x.getShape().get(0), c, 1, 1);
            s = Conv2d.conv2d(s, slice(pass, x, w1, squeeze, c), slice(pass, x, b1, squeeze)).singletonOrThrow();
            s = Conv2d.conv2d(ai.djl.nn.Activation.relu(s), slice(pass, x, w2, c, squeeze), slice(pass, x, b2, c)).singletonOrThrow();
            return x.mul(Activations.hardSigmoid(s));
        }
    }

    /** Fully connected layer with bias on the leading inputs (head layers have fixed outputs). */
    static final class Dense {
        private final Parameter w, b;

        Dense(Registry r, String name, int out, int inMax) {
            w = r.add(name + ".weight", Parameter.Type.WEIGHT, new Shape(out, inMax));
            b = r.add(name + ".bias", Parameter.Type.BIAS, new Shape(out));
        }

        NDArray forward(ChildPass pass, NDArray x) {
            int in = (int) x.getShape().get(1);
            NDArray weight = slice(pass, x, w, w.getArray().getShape().get(0), in);
            return x.matMul(weight.transpose()).add(slice(pass, x, b, b.getArray().getShape().get(0)));
        }
    }
}
