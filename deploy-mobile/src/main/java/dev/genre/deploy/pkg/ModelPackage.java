package dev.genre.deploy.pkg;

import dev.genre.io.Json;
import dev.genre.search.spec.NetworkSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Contract 4, a model package: everything a phone app needs and nothing that needs this project.
 * {@code model.onnx} (float), {@code model-int8.onnx} (QDQ), {@code spec.json}, {@code labels.json},
 * {@code mel.json}, {@code metrics.json}, {@code latency.json} once measured, {@code run.json}.
 */
public record ModelPackage(Path dir, List<String> labels, MelConfig mel) {
    public static final String FLOAT_MODEL = "model.onnx";
    public static final String INT8_MODEL = "model-int8.onnx";
    public static final String LABELS = "labels.json";
    public static final String MEL = "mel.json";
    public static final String SPEC = "spec.json";
    public static final String METRICS = "metrics.json";
    public static final String LATENCY = "latency.json";
    public static final String QUANT = "quantization.json";

    public static ModelPackage open(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException(dir + ": no model package here (genre export writes one)");
        for (String f : List.of(LABELS, MEL, FLOAT_MODEL)) {
            if (!Files.isRegularFile(dir.resolve(f))) throw new IOException(dir + ": not a model package (no " + f + ")");
        }
        String[] labels = Json.read(dir.resolve(LABELS), String[].class);
        MelConfig mel = Json.read(dir.resolve(MEL), MelConfig.class);
        if (!MelConfig.FORMAT.equals(mel.format())) throw new IOException(dir.resolve(MEL) + ": format '" + mel.format() + "', expected " + MelConfig.FORMAT);
        return new ModelPackage(dir, Arrays.asList(labels), mel);
    }

    /**
     * The architecture, or null in a package without one. Read on demand: classifying never needs it,
     * and parsing it cost a cold {@code genre classify} about a third of a second.
     */
    public NetworkSpec spec() throws IOException {
        return Files.isRegularFile(dir.resolve(SPEC)) ? NetworkSpec.read(dir.resolve(SPEC)) : null;
    }

    /** The int8 model when asked for and present, else the float model. */
    public Path model(boolean int8) throws IOException {
        if (!int8) return dir.resolve(FLOAT_MODEL);
        Path q = dir.resolve(INT8_MODEL);
        if (!Files.isRegularFile(q)) throw new IOException(dir + ": no " + INT8_MODEL + " (export with --int8, or classify with --float)");
        return q;
    }

    public boolean hasInt8() {
        return Files.isRegularFile(dir.resolve(INT8_MODEL));
    }
}
