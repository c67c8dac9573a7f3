package dev.genre.deploy.quant;

import dev.genre.deploy.onnx.OnnxModel;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs ONNX models in a child JVM, so a test can run the same models on another (emulated) CPU.
 * Argument: a folder of jobs {@code <k>.onnx} + {@code <k>.job} (output name, shape, input values);
 * writes {@code <k>.out} (rows, columns, values) next to each.
 */
public final class OnnxRunMain {
    private OnnxRunMain() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        for (int k = 0; Files.exists(dir.resolve(k + ".onnx")); k++) {
            String output;
            long[] shape;
            float[] x;
            try (DataInputStream in = new DataInputStream(Files.newInputStream(dir.resolve(k + ".job")))) {
                output = in.readUTF();
                shape = new long[in.readInt()];
                for (int i = 0; i < shape.length; i++) shape[i] = in.readLong();
                x = new float[in.readInt()];
                for (int i = 0; i < x.length; i++) x[i] = in.readFloat();
            }
            float[][] y;
            try (OnnxModel m = new OnnxModel(dir.resolve(k + ".onnx"), 1)) {
                y = m.run(x, shape, output);
            }
            write(dir.resolve(k + ".out"), y);
        }
    }

    static void writeJob(Path dir, int k, byte[] model, String output, long[] shape, float[] x) throws IOException {
        Files.write(dir.resolve(k + ".onnx"), model);
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve(k + ".job")))) {
            out.writeUTF(output);
            out.writeInt(shape.length);
            for (long d : shape) out.writeLong(d);
            out.writeInt(x.length);
            for (float v : x) out.writeFloat(v);
        }
    }

    static void write(Path file, float[][] y) throws IOException {
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            out.writeInt(y.length);
            out.writeInt(y[0].length);
            for (float[] row : y) for (float v : row) out.writeFloat(v);
        }
    }

    static float[][] read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            float[][] y = new float[in.readInt()][in.readInt()];
            for (float[] row : y) for (int i = 0; i < row.length; i++) row[i] = in.readFloat();
            return y;
        }
    }
}
