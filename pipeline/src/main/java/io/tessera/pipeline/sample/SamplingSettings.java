package io.tessera.pipeline.sample;

/**
 * How the next token is chosen from the logits (spec/MODELS.md §7).
 *
 * @param greedy            arg-max (every other setting is then ignored except the penalty)
 * @param temperature       logits are divided by it before the softmax (must be positive unless greedy)
 * @param topK              keep the k most likely tokens (0: all)
 * @param topP              keep the smallest set of most likely tokens whose probability reaches p (1: all)
 * @param minP              drop tokens whose probability is below minP times the most likely one's (0: none)
 * @param repetitionPenalty divide positive (multiply negative) logits of recent tokens by it (1: none)
 * @param penaltyWindow     how many of the last tokens the penalty looks at
 * @param seed              seed of the random draw
 */
public record SamplingSettings(boolean greedy, float temperature, int topK, float topP, float minP,
                               float repetitionPenalty, int penaltyWindow, long seed) {
    public SamplingSettings {
        if (!greedy && !(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be positive, not " + temperature
                    + " (use greedy decoding for temperature 0)");
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must not be negative, not " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must be in (0, 1], not " + topP);
        }
        if (!(minP >= 0 && minP < 1)) {
            throw new IllegalArgumentException("min-p must be in [0, 1), not " + minP);
        }
        if (!(repetitionPenalty > 0) || penaltyWindow < 0) {
            throw new IllegalArgumentException("repetition penalty must be positive and its window not negative");
        }
    }

    /** Arg-max decoding, as {@code eval} and the reference comparisons use. */
    public static SamplingSettings greedyDecoding() {
        return new SamplingSettings(true, 1f, 0, 1f, 0f, 1f, 0, 0);
    }

    /** The Gemma team's recommended chat settings: temperature 1.0, top-k 64, top-p 0.95. */
    public static SamplingSettings gemmaChat(long seed) {
        return new SamplingSettings(false, 1f, 64, 0.95f, 0f, 1f, 64, seed);
    }
}
