package io.tessera.pipeline.model;

/**
 * The feed-forward part of a decoder layer: what turns the residual stream after attention into
 * the block output that the post-feed-forward norm (if any) and the residual add take. Sealed, so
 * that each kind is built by one case of {@code DecoderGraphs}; a mixture of experts (Gemma 4
 * 26B-A4B: a shared dense MLP plus routed experts, llama.cpp {@code src/models/gemma4.cpp}) is a
 * further variant beside {@link Dense}.
 */
public sealed interface FeedForward {
    /** Width of the hidden activations (the dense MLP's {@code ffn}). */
    int width();

    /**
     * The GeGLU MLP of every Gemma decoder: down(gelu(gate(n)) * up(n)) with n = norm(x)
     * (spec/MODELS.md §1.2).
     *
     * @param norm (hidden), {@code ffn_norm}
     * @param gate (ffn, hidden)
     * @param up   (ffn, hidden)
     * @param down (hidden, ffn)
     */
    record Dense(io.tessera.tasks.api.FloatArray norm, Weight gate, Weight up, Weight down) implements FeedForward {
        @Override
        public int width() {
            return gate.rows();
        }
    }
}
