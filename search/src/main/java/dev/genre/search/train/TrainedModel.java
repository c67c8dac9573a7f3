package dev.genre.search.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.genre.io.Json;
import dev.genre.search.net.SpecNetwork;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A finished training run read back: its setup (spec, recipe, normalisation, genres) and weights. */
public record TrainedModel(Path dir, Trainer.Setup setup, SpecNetwork net) {
    public static TrainedModel load(Path dir, NDManager manager) throws IOException {
        Path setupFile = dir.resolve(Trainer.TRAIN_JSON), weights = dir.resolve(Trainer.WEIGHTS);
        if (!Files.isRegularFile(setupFile) || !Files.isRegularFile(weights)) {
            throw new IOException(dir + ": not a finished training run (needs " + Trainer.TRAIN_JSON + " and " + Trainer.WEIGHTS + ")");
        }
        Trainer.Setup setup = Json.read(setupFile, Trainer.Setup.class);
        SpecNetwork net = new SpecNetwork(setup.spec());
        net.initialize(manager, DataType.FLOAT32, net.inputShape(1));
        try (DataInputStream in = new DataInputStream(Files.newInputStream(weights))) {
            net.loadParameters(manager, in);
        } catch (MalformedModelException e) {
            throw new IOException(weights + ": " + e.getMessage(), e);
        }
        return new TrainedModel(dir, setup, net);
    }
}
