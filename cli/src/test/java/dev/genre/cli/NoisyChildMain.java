package dev.genre.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.FloatBuffer;

/**
 * A JVM that prints what a real genre JVM prints on stderr: the noise the launcher drops (the JVM's
 * incubator warning at start, DJL's GPU probe, libtorch's deprecation warning from NDArray.set) and
 * then a real error, with a real exit code.
 */
public final class NoisyChildMain {
    private NoisyChildMain() {}

    public static void main(String[] args) {
        Engine.getInstance().getGpuCount(); // DJL's CUDA probe, where a CUDA runtime is installed
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.zeros(new ai.djl.ndarray.types.Shape(4));
            a.set(FloatBuffer.wrap(new float[] {1, 2, 3, 4})); // libtorch's AutoNonVariableTypeMode warning
        }
        System.err.println("genre prep: clips/rock/bad.wav: not a WAV file (no RIFF header)");
        System.exit(3);
    }
}
