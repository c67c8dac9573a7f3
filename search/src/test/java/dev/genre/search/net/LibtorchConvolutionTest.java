package dev.genre.search.net;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import org.junit.jupiter.api.Test;

/**
 * libtorch's convolution against a direct sum. libtorch 2.7.1 (DJL 0.35.1) with oneDNN's AVX-512
 * kernels returned errors of ~15 on this machine's AMD EPYC for 3x3 convolutions with >= 24 input
 * channels (16 were exact); the launcher and surefire pin ONEDNN_MAX_CPU_ISA=AVX2, which is exact.
 * This test fails if that guard is lost.
 */
class LibtorchConvolutionTest {
    @Test
    void regularConvolutionsMatchADirectSum() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (int cin : new int[] {16, 24, 40, 96}) {
                for (int k : new int[] {3, 5}) {
                    int hw = 8, cout = 32, pad = k / 2;
                    NDArray x = m.randomNormal(new Shape(2, cin, hw, hw)), w = m.randomNormal(new Shape(cout, cin, k, k));
                    float[] xf = x.toFloatArray(), wf = w.toFloatArray();
                    float[] yf = Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(pad, pad), new Shape(1, 1), 1).singletonOrThrow().toFloatArray();
                    double worst = 0;
                    for (int n = 0; n < 2; n++) for (int o = 0; o < cout; o++) for (int i = 0; i < hw; i++) for (int j = 0; j < hw; j++) {
                        double s = 0;
                        for (int c = 0; c < cin; c++) for (int a = 0; a < k; a++) for (int b = 0; b < k; b++) {
                            int ii = i + a - pad, jj = j + b - pad;
                            if (ii >= 0 && jj >= 0 && ii < hw && jj < hw) s += xf[((n * cin + c) * hw + ii) * hw + jj] * wf[((o * cin + c) * k + a) * k + b];
                        }
                        worst = Math.max(worst, Math.abs(s - yf[((n * cout + o) * hw + i) * hw + j]));
                    }
                    assertTrue(worst < 1e-3, "libtorch conv " + k + "x" + k + " with " + cin + " input channels is off by " + worst
                            + " (ONEDNN_MAX_CPU_ISA=" + System.getenv("ONEDNN_MAX_CPU_ISA") + ")");
                }
            }
        }
    }
}
