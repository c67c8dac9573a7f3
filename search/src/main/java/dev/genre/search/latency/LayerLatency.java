package dev.genre.search.latency;

/**
 * One layer's entry in a device profile.
 *
 * @param ms         what the predictor sums: {@code measuredMs - boundaryMs}; may be slightly negative for
 *                   the cheapest layers, kept so because summing unbiased estimates beats summing clamped ones
 * @param measuredMs time of the one-layer model (the profile's statistic)
 * @param boundaryMs mean time of the trivial models with the layer's input and output tensors (session call,
 *                   input quantize, output dequantize): what a layer does not cost inside a network
 * @param runs       timed runs behind each time
 */
public record LayerLatency(double ms, double measuredMs, double boundaryMs, int runs) {}
