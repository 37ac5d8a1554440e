package io.tessera.pipeline.vision;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.Optional;

import io.tessera.pipeline.audio.encoder.AudioConfig;
import io.tessera.pipeline.gguf.GgufFile;
import io.tessera.pipeline.gguf.GgufKeys;
import io.tessera.pipeline.model.Model;

/**
 * A llama.cpp {@code mmproj} file loaded for its vision part, its audio part or both (llama.cpp
 * clip.cpp: {@code clip.has_vision_encoder}, {@code clip.has_audio_encoder}; each part has its own
 * projector type, {@code clip.vision.projector_type} / {@code clip.audio.projector_type}, else
 * {@code clip.projector_type}). Vision configuration and weights are views of the memory-mapped
 * file; the audio encoders read their tensors from {@link #gguf()}. Closing it unmaps the file.
 */
public final class Mmproj implements AutoCloseable {
    private final GgufFile file;
    private final VisionConfig config;
    private final VisionWeights weights;
    private final AudioConfig audio;
    private final Arena arena;

    private Mmproj(GgufFile file, VisionConfig config, VisionWeights weights, AudioConfig audio, Arena arena) {
        this.file = file;
        this.config = config;
        this.weights = weights;
        this.audio = audio;
        this.arena = arena;
    }

    public static Mmproj load(Path path) {
        GgufFile file = GgufFile.open(path);
        Arena arena = Arena.ofShared();
        try {
            String name = path.toString();
            var m = file.metadata();
            String arch = m.string(GgufKeys.ARCHITECTURE).orElse(null);
            if (!ClipKeys.ARCHITECTURE.equals(arch)) {
                throw new MmprojFormatException(name, "not an mmproj file: " + GgufKeys.ARCHITECTURE + " is "
                        + (arch == null ? "missing" : "'" + arch + "'") + ", expected '" + ClipKeys.ARCHITECTURE + "'");
            }
            boolean hasVision = m.bool(ClipKeys.HAS_VISION_ENCODER).orElse(false);
            boolean hasAudio = m.bool(ClipKeys.HAS_AUDIO_ENCODER).orElse(false);
            if (!hasVision && !hasAudio) {
                throw new MmprojFormatException(name, "the file has neither a vision nor an audio encoder ("
                        + ClipKeys.HAS_VISION_ENCODER + " and " + ClipKeys.HAS_AUDIO_ENCODER + " are not true)");
            }
            VisionConfig config = hasVision ? VisionConfig.fromGguf(name, m) : null;
            VisionWeights weights = hasVision ? VisionWeights.load(file, config, arena) : null;
            AudioConfig audio = hasAudio ? AudioConfig.fromGguf(name, m) : null;
            return new Mmproj(file, config, weights, audio, arena);
        } catch (RuntimeException e) {
            arena.close();
            file.close();
            throw e;
        }
    }

    public Path path() {
        return file.path();
    }

    /** Whether the file has a vision part. */
    public boolean hasVision() {
        return config != null;
    }

    /** Whether the file has an audio part. */
    public boolean hasAudio() {
        return audio != null;
    }

    /** The vision part's configuration; an {@link MmprojFormatException} when the file has none. */
    public VisionConfig config() {
        if (config == null) {
            throw new MmprojFormatException(file.path().toString(), "the file has no vision encoder ("
                    + ClipKeys.HAS_VISION_ENCODER + " is not true), so it cannot take images");
        }
        return config;
    }

    public VisionWeights weights() {
        config();
        return weights;
    }

    /** The audio part's configuration; an {@link MmprojFormatException} when the file has none. */
    public AudioConfig audio() {
        if (audio == null) {
            throw new MmprojFormatException(file.path().toString(), "the file has no audio encoder ("
                    + ClipKeys.HAS_AUDIO_ENCODER + " is not true), so it cannot take audio");
        }
        return audio;
    }

    /** The audio part's configuration, if any. */
    public Optional<AudioConfig> audioIfPresent() {
        return Optional.ofNullable(audio);
    }

    /** The memory-mapped file, for encoders that bind their own tensors. */
    public GgufFile gguf() {
        return file;
    }

    /** An arena that lives as long as this file, for weights converted at load. */
    public Arena arena() {
        return arena;
    }

    /** Fails unless the soft tokens have the width of {@code text}'s embeddings. */
    public void checkCompatible(Model text) {
        int hidden = text.config().hidden();
        if (config != null && config.projectionDim() != hidden) {
            throw new MmprojFormatException(file.path().toString(), "the projector maps into width "
                    + config.projectionDim() + " (" + ClipKeys.PROJECTION_DIM + ") but the text model "
                    + text.path().getFileName() + " has hidden size " + hidden);
        }
        if (audio != null && audio.projectionDim() != 0 && audio.projectionDim() != hidden) {
            throw new MmprojFormatException(file.path().toString(), "the audio projector maps into width "
                    + audio.projectionDim() + " (" + ClipKeys.AUDIO_PROJECTION_DIM + ") but the text model "
                    + text.path().getFileName() + " has hidden size " + hidden);
        }
    }

    /** The load report: sizes and weight bytes. */
    public String report() {
        StringBuilder sb = new StringBuilder();
        if (config != null) {
            VisionConfig c = config;
            sb.append(String.format("mmproj %s: %s, SigLIP %d layers, width %d, ffn %d, heads %d x %d, image %d, patch %d"
                            + " -> %d patches, pool %d -> %d soft tokens of width %d, weights %s%n",
                    file.path().getFileName(), c.projector().ggufName(), c.layers(), c.hidden(), c.ffn(), c.heads(),
                    c.headDim(), c.imageSize(), c.patchSize(), c.patches(), c.merge(), c.softTokens(), c.projectionDim(),
                    Model.bytes(weights.byteSize())));
        }
        if (audio != null) {
            sb.append(String.format("mmproj %s: audio %s, input %d, encoder %d layers, width %d, projection %d%n",
                    file.path().getFileName(), audio.projector().ggufName(), audio.melBins(), audio.layers(),
                    audio.hidden(), audio.projectionDim()));
        }
        return sb.toString();
    }

    @Override
    public void close() {
        arena.close();
        file.close();
    }
}
