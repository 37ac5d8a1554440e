package io.tessera.media.audio;

import java.util.List;

/**
 * A model's audio front end: 16 kHz mono samples to log-mel features, split into the chunks the
 * model encodes one at a time. Each implementation is a plain loop over frames (frame, window, FFT,
 * magnitude or power, mel product, log) so that it ports directly to a kernel.
 */
public sealed interface FeatureExtractor permits Gemma3nFeatureExtractor, Gemma4FeatureExtractor, WhisperFeatureExtractor {
    int SAMPLE_RATE = 16_000;

    /** Short name, as in presets and dumps. */
    String name();

    /** One {@link AudioFeatures} per chunk, in order; at least one for any non-empty input. */
    List<AudioFeatures> extract(float[] samples16k);

    /** The periodic Hann window {@code 0.5·(1 − cos(2πn/N))}. */
    static double[] periodicHann(int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = 0.5 * (1 - Math.cos(2 * Math.PI * i / n));
        }
        return w;
    }

    /** Chunk {@code c} of {@code chunkSamples}, the last one shorter. */
    static float[] chunk(float[] samples, int c, int chunkSamples) {
        int from = c * chunkSamples;
        int to = Math.min(samples.length, from + chunkSamples);
        return java.util.Arrays.copyOfRange(samples, from, to);
    }

    static int chunkCount(int samples, int chunkSamples) {
        return Math.max(1, (samples + chunkSamples - 1) / chunkSamples);
    }
}
