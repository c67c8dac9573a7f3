package dev.genre.search.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One block of {@code layers} identical layers; the first has the stride, the rest stride 1.
 * {@code expansion} applies to mbconv (expanded width = round(in * expansion)); {@code se} is 0 or
 * the squeeze ratio of the expanded width (squeeze = round(expanded * se), hard-sigmoid gate).
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
@JsonPropertyOrder({"op", "kernel", "stride", "out", "expansion", "se", "skip", "layers", "act"})
public record BlockSpec(Op op, int kernel, int stride, int out, double expansion, double se, Skip skip, int layers,
                        Activation act) {
    public BlockSpec {
        if (op == null) throw new IllegalArgumentException("block op is required");
        if (kernel < 1 || kernel % 2 == 0) throw new IllegalArgumentException("kernel must be odd and positive: " + kernel);
        if (stride < 1 || stride > 2) throw new IllegalArgumentException("stride must be 1 or 2: " + stride);
        if (out < 1) throw new IllegalArgumentException("out channels must be positive: " + out);
        if (op == Op.MBCONV && expansion < 1) throw new IllegalArgumentException("mbconv expansion must be >= 1: " + expansion);
        if (se < 0 || se >= 1) throw new IllegalArgumentException("se ratio must be in [0, 1): " + se);
        if (layers < 0) throw new IllegalArgumentException("layers must be >= 0: " + layers);
        if (skip == null) skip = Skip.NONE;
        if (act == null) act = Activation.RELU;
        if (layers == 0 && stride != 1) throw new IllegalArgumentException("a block with 0 layers cannot have a stride");
    }
}
