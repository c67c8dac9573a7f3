package dev.genre.deploy.quant;

import dev.genre.search.net.Int8Simulation;

/** What an int8 package holds and why, as recorded in its {@code quantization.json}. */
public record Int8Scheme(String format, String weights, String activations, String why) {
    /** The scheme {@link QdqQuantizer} writes. */
    public static final Int8Scheme SHIPPED = new Int8Scheme("QDQ, U8S8 (ONNX Runtime QLinearConv / QGemm)",
            "int8 symmetric per output channel, levels -" + Int8Simulation.WEIGHT_LEVEL_MAX + ".." + Int8Simulation.WEIGHT_LEVEL_MAX
                    + " (" + (32 - Integer.numberOfLeadingZeros(Int8Simulation.WEIGHT_LEVEL_MAX) + 1) + " bits)",
            "uint8 asymmetric per tensor, calibrated ranges",
            "x86 CPUs without VNNI (AVX2-only, AVX-512 without VNNI) run U8S8 on VPMADDUBSW, whose int16 pair sums saturate with"
                    + " 8-bit weights (2 x 255 x 127 > 32767); with 7-bit weights they cannot (2 x 255 x 63 = 32130), so the model"
                    + " computes the same on every x86 CPU and on ARM (Int8PortabilityTest).");
}
