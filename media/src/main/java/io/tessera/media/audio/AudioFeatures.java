package io.tessera.media.audio;

import io.tessera.media.FloatTensor;

/**
 * Features of one chunk of audio as the encoder takes them.
 *
 * @param features     {@code [frames, melBins]} (Gemma) or {@code [melBins, frames]} (Whisper)
 * @param mask         per frame, true where the frame holds real audio; {@code null} when the
 *                     model has no mask
 * @param startSeconds where the chunk starts in the input
 */
public record AudioFeatures(FloatTensor features, boolean[] mask, double startSeconds) {
}
