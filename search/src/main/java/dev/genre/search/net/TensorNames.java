package dev.genre.search.net;

import dev.genre.search.spec.Activation;

/**
 * Names of an exported network's tensors, {@code <row>.<part><suffix>}: the ONNX writer names its
 * nodes with them and the int8 simulation finds the quantizer's ranges by them, so the two cannot drift.
 */
public final class TensorNames {
    /** The input after the training normalisation: the first tensor the quantizer rounds. */
    public static final String NORMALIZED_INPUT = "normalize";
    public static final String ADD = ".add", SHORTCUT_POOL = ".shortcut_pool";
    /** A squeeze-and-excitation unit ({@code <row>.se}) and its tensors. */
    public static final String SE = ".se", SE_POOL = ".pool", SE_FC1 = ".fc1", SE_FC2 = ".fc2", SE_GATE = ".gate", SE_SCALE = ".scale";
    public static final String HEAD_POOL = ".pool", HEAD_FLATTEN = ".flatten", HEAD_HIDDEN = ".hidden";

    private TensorNames() {}

    /** The output of {@code act} applied to {@code tensor}: {@code tensor.relu} or {@code tensor.hswish}. */
    public static String activated(String tensor, Activation act) {
        return tensor + "." + act.id();
    }
}
