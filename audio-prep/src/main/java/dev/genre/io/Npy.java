package dev.genre.io;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} (format 1.0) for 2-D float32 C-order arrays, the one shape this project stores.
 * Written atomically so that a half-written spectrogram never looks whole.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\((\\d+),\\s*(\\d+)\\)");

    private Npy() {}

    /** A row-major matrix. */
    public record Matrix(int rows, int cols, float[] data) {
        public Matrix {
            if (data.length != (long) rows * cols) throw new IllegalArgumentException("data length " + data.length + " != " + rows + "x" + cols);
        }

        public float get(int r, int c) {
            return data[r * cols + c];
        }
    }

    public static byte[] encode(Matrix m) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + m.rows() + ", " + m.cols() + "), }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        StringBuilder header = new StringBuilder(dict);
        header.append(" ".repeat(pad)).append('\n');
        byte[] h = header.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buf = ByteBuffer.allocate(MAGIC.length + 4 + h.length + m.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length).put(h);
        buf.asFloatBuffer().put(m.data());
        return buf.array();
    }

    public static void write(Path file, Matrix m) throws IOException {
        AtomicFiles.write(file, encode(m));
    }

    public static Matrix read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    public static Matrix read(InputStream raw, String name) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw, 1 << 16));
        byte[] magic = in.readNBytes(MAGIC.length);
        if (!java.util.Arrays.equals(magic, MAGIC)) throw new IOException(name + ": not a .npy file");
        int major = in.readUnsignedByte();
        in.readUnsignedByte();
        int headerLen;
        if (major == 1) {
            headerLen = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
        } else {
            headerLen = Integer.reverseBytes(in.readInt());
        }
        String header = new String(in.readNBytes(headerLen), StandardCharsets.US_ASCII);
        if (!header.contains("'<f4'")) throw new IOException(name + ": expected little-endian float32, header " + header.trim());
        boolean fortran = header.contains("'fortran_order': True");
        Matcher sm = SHAPE.matcher(header);
        if (!sm.find()) throw new IOException(name + ": expected a 2-D array, header " + header.trim());
        int rows = Integer.parseInt(sm.group(1)), cols = Integer.parseInt(sm.group(2));
        byte[] body = in.readNBytes(rows * cols * 4);
        if (body.length != rows * cols * 4) throw new IOException(name + ": truncated, " + body.length + " of " + rows * cols * 4 + " data bytes");
        float[] data = new float[rows * cols];
        ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
        if (fortran) { // column-major on disk: transpose into row-major
            float[] c = new float[data.length];
            for (int j = 0; j < cols; j++) for (int i = 0; i < rows; i++) c[i * cols + j] = data[j * rows + i];
            data = c;
        }
        return new Matrix(rows, cols, data);
    }
}
