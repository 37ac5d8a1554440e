package io.tessera.pipeline.generate;

/**
 * The result of one generation.
 *
 * @param promptIds      the prompt
 * @param ids            the generated tokens, an end token included when one stopped the generation
 * @param text           the generated text (control tokens left out)
 * @param stoppedAtEnd   whether an end token stopped it (rather than the token limit)
 * @param prefillSeconds time of the prompt's prefill, first logits included
 * @param decodeSteps    tokens decoded one at a time
 * @param decodeSeconds  time of those steps
 */
public record Generation(int[] promptIds, int[] ids, String text, boolean stoppedAtEnd, double prefillSeconds,
                         int decodeSteps, double decodeSeconds) {

    public double prefillTokensPerSecond() {
        return prefillSeconds > 0 ? promptIds.length / prefillSeconds : 0;
    }

    public double decodeTokensPerSecond() {
        return decodeSeconds > 0 ? decodeSteps / decodeSeconds : 0;
    }
}
