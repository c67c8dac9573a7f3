package dev.genre.search.spec;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * MobileNetV3's efficient last stage: 1x1 conv + BN + act to {@code conv} channels, global average
 * pool, then (when {@code hidden} > 0) a 1x1 conv with bias and no BN to {@code hidden} channels +
 * act, dropout, and the classifier. MnasNet's head is the same with hidden = 0.
 */
@JsonPropertyOrder({"conv", "hidden", "act", "dropout"})
public record HeadSpec(int conv, int hidden, Activation act, double dropout) {}
