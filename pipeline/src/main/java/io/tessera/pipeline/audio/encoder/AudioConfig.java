package io.tessera.pipeline.audio.encoder;

import io.tessera.pipeline.gguf.GgufMetadata;
import io.tessera.pipeline.vision.ClipKeys;
import io.tessera.pipeline.vision.MmprojFormatException;

/**
 * What the audio part of an mmproj file is, from its {@code clip.audio.*} keys (llama.cpp clip.cpp
 * {@code load_hparams}). The encoder sizes are 0 where a file leaves them out; an encoder that
 * needs them checks them ({@code gemma4ua} has no encoder, only its projection).
 *
 * @param projector     projector type
 * @param melBins       {@code clip.audio.num_mel_bins}, checked against {@link AudioProjectorType#inputBins()}
 * @param hidden        encoder width (0 when absent)
 * @param ffn           encoder MLP width (0 when absent)
 * @param layers        encoder blocks (0 when absent)
 * @param heads         attention heads (0 when absent)
 * @param eps           norm epsilon (1e-6 when absent)
 * @param projectionDim width of the soft tokens: the text model's hidden size (0 when absent: the projection's shape says)
 */
public record AudioConfig(AudioProjectorType projector, int melBins, int hidden, int ffn, int layers, int heads,
                          float eps, int projectionDim) {
    public AudioConfig {
        if (melBins <= 0 || hidden < 0 || ffn < 0 || layers < 0 || heads < 0 || projectionDim < 0 || !(eps > 0)) {
            throw new IllegalArgumentException("audio sizes out of range: mel bins " + melBins + ", width " + hidden
                    + ", ffn " + ffn + ", layers " + layers + ", heads " + heads + ", eps " + eps + ", projection "
                    + projectionDim);
        }
    }

    /** Reads the audio part of an mmproj file; the caller has checked {@link ClipKeys#HAS_AUDIO_ENCODER}. */
    public static AudioConfig fromGguf(String file, GgufMetadata m) {
        String type = m.string(ClipKeys.AUDIO_PROJECTOR_TYPE).or(() -> m.string(ClipKeys.PROJECTOR_TYPE))
                .orElseThrow(() -> new MmprojFormatException(file, "missing key " + ClipKeys.AUDIO_PROJECTOR_TYPE
                        + " (the file says it has an audio encoder)"));
        AudioProjectorType projector = AudioProjectorType.fromGguf(file, type);
        long bins = m.integer(ClipKeys.AUDIO_NUM_MEL_BINS).orElseThrow(() -> new MmprojFormatException(file,
                "missing key " + ClipKeys.AUDIO_NUM_MEL_BINS + " (audio projector " + type + ")"));
        if (bins != projector.inputBins()) {
            throw new MmprojFormatException(file, ClipKeys.AUDIO_NUM_MEL_BINS + " = " + bins + " but the "
                    + projector.ggufName() + " audio input has " + projector.inputBins()
                    + (projector == AudioProjectorType.GEMMA4UA ? " samples per frame" : " mel bins (Gemma 4 feature extractor)"));
        }
        double eps = m.number(ClipKeys.AUDIO_LAYER_NORM_EPSILON).orElse(1e-6);
        try {
            return new AudioConfig(projector, (int) bins, optional(file, m, ClipKeys.AUDIO_EMBEDDING_LENGTH),
                    optional(file, m, ClipKeys.AUDIO_FEED_FORWARD_LENGTH), optional(file, m, ClipKeys.AUDIO_BLOCK_COUNT),
                    optional(file, m, ClipKeys.AUDIO_HEAD_COUNT), (float) eps,
                    optional(file, m, ClipKeys.AUDIO_PROJECTION_DIM));
        } catch (IllegalArgumentException e) {
            throw new MmprojFormatException(file, e.getMessage());
        }
    }

    private static int optional(String file, GgufMetadata m, String key) {
        long v = m.integer(key).orElse(0);
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new MmprojFormatException(file, "key " + key + " = " + v + " is out of range");
        }
        return (int) v;
    }
}
