package io.tessera.pipeline.audio.encoder;

import java.util.Arrays;
import java.util.stream.Collectors;

import io.tessera.pipeline.vision.MmprojFormatException;

/**
 * The audio projectors of {@code clip.audio.projector_type} (or {@code clip.projector_type}) that
 * Tessera knows. llama.cpp knows more (clip-impl.h {@code PROJECTOR_TYPE_NAMES}, spec/MODELS.md
 * §4.3); any other name is an {@link MmprojFormatException} that names it.
 */
public enum AudioProjectorType {
    /**
     * Gemma 4 unified, encoder-free: the waveform in frames of 640 samples (40 ms), each
     * RMS-normalised without a weight and projected into the text width (llama.cpp
     * models/gemma4ua.cpp, mtmd-audio.cpp {@code mtmd_audio_preprocessor_gemma4ua}).
     */
    GEMMA4UA("gemma4ua", 640),
    /**
     * Gemma 4 conformer over 128-bin log-mel features (spec/MODELS.md §4.2; llama.cpp
     * models/gemma4a.cpp); mel bins must match {@link io.tessera.media.audio.Gemma4FeatureExtractor}.
     */
    GEMMA4A("gemma4a", 128);

    private final String ggufName;
    private final int inputBins;

    AudioProjectorType(String ggufName, int inputBins) {
        this.ggufName = ggufName;
        this.inputBins = inputBins;
    }

    /** The name in {@code clip.audio.projector_type}. */
    public String ggufName() {
        return ggufName;
    }

    /**
     * What {@code clip.audio.num_mel_bins} must be: the mel bins of the model's feature extractor,
     * or for {@link #GEMMA4UA} the samples per frame.
     */
    public int inputBins() {
        return inputBins;
    }

    public static AudioProjectorType fromGguf(String file, String name) {
        for (AudioProjectorType t : values()) {
            if (t.ggufName.equals(name)) {
                return t;
            }
        }
        throw new MmprojFormatException(file, "audio projector type '" + name + "' is not supported (supported: "
                + Arrays.stream(values()).map(AudioProjectorType::ggufName).collect(Collectors.joining(", ")) + ")");
    }
}
