package io.tessera.pipeline.generate;

/**
 * The graphs a decoder family builds for its input and its layers; the logits graphs around them
 * are {@link DecoderGraphs}' for every family. Each layer graph leaves the hidden state the next
 * one reads in {@code RunState.x} (prefill) or {@code RunState.dx} (decode), and the last leaves
 * there what the final norm reads.
 */
interface DecoderStages {
    /** Token ids of a tile to the first layer's input. */
    DecoderGraphs.Built prefillEmbed();

    /** Host-written embeddings of a tile ({@code RunState.tileInput}) to the first layer's input. */
    DecoderGraphs.Built prefillInput();

    DecoderGraphs.Built prefillLayer(int i);

    /** One token id to the first layer's input. */
    DecoderGraphs.Built decodeEmbed();

    DecoderGraphs.Built decodeLayer(int i);
}
