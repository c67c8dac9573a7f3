package dev.genre.deploy.pkg;

import dev.genre.audio.mel.MelParams;
import java.util.List;

/**
 * {@code mel.json} of a model package: how an app turns audio into the model's input. The log-mel
 * recipe (librosa conventions), the segment length and hop in frames, and the tensor names. The
 * training normalisation is inside the ONNX graph, so the input is the log-mel in dB as computed.
 */
public record MelConfig(String format, MelParams mel, int segmentFrames, int hopFrames, String input, List<String> outputs,
                        String note) {
    public static final String FORMAT = "genre-mel/1";
}
