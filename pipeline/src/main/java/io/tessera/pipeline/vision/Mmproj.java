package io.tessera.pipeline.vision;

import java.lang.foreign.Arena;
import java.nio.file.Path;

import io.tessera.pipeline.gguf.GgufFile;
import io.tessera.pipeline.model.Model;

/**
 * A llama.cpp {@code mmproj} file loaded for its vision encoder: configuration and weights (views
 * of the memory-mapped file). Closing it unmaps the file.
 */
public final class Mmproj implements AutoCloseable {
    private final GgufFile file;
    private final VisionConfig config;
    private final VisionWeights weights;
    private final Arena arena;

    private Mmproj(GgufFile file, VisionConfig config, VisionWeights weights, Arena arena) {
        this.file = file;
        this.config = config;
        this.weights = weights;
        this.arena = arena;
    }

    public static Mmproj load(Path path) {
        GgufFile file = GgufFile.open(path);
        Arena arena = Arena.ofShared();
        try {
            VisionConfig config = VisionConfig.fromGguf(path.toString(), file.metadata());
            return new Mmproj(file, config, VisionWeights.load(file, config, arena), arena);
        } catch (RuntimeException e) {
            arena.close();
            file.close();
            throw e;
        }
    }

    public Path path() {
        return file.path();
    }

    public VisionConfig config() {
        return config;
    }

    public VisionWeights weights() {
        return weights;
    }

    /** Fails unless the soft tokens have the width of {@code text}'s embeddings. */
    public void checkCompatible(Model text) {
        int hidden = text.config().hidden();
        if (config.projectionDim() != hidden) {
            throw new MmprojFormatException(file.path().toString(), "the projector maps into width "
                    + config.projectionDim() + " (" + ClipKeys.PROJECTION_DIM + ") but the text model "
                    + text.path().getFileName() + " has hidden size " + hidden);
        }
    }

    /** The load report: sizes and weight bytes. */
    public String report() {
        VisionConfig c = config;
        return String.format("mmproj %s: %s, SigLIP %d layers, width %d, ffn %d, heads %d x %d, image %d, patch %d"
                        + " -> %d patches, pool %d -> %d soft tokens of width %d, weights %s%n",
                file.path().getFileName(), c.projector().ggufName(), c.layers(), c.hidden(), c.ffn(), c.heads(),
                c.headDim(), c.imageSize(), c.patchSize(), c.patches(), c.merge(), c.softTokens(), c.projectionDim(),
                Model.bytes(weights.byteSize()));
    }

    @Override
    public void close() {
        arena.close();
        file.close();
    }
}
