package io.tessera.pipeline.vision;

import java.lang.foreign.Arena;
import java.nio.file.Path;

import io.tessera.pipeline.gguf.GgufFile;
import io.tessera.pipeline.model.Model;

/**
 * A llama.cpp {@code mmproj} file loaded for its Gemma 4 vision projector ({@code gemma4v} or
 * {@code gemma4uv}): configuration and weights (views of the memory-mapped file). Closing it
 * unmaps the file.
 */
public final class Gemma4Mmproj implements AutoCloseable {
    private final GgufFile file;
    private final Gemma4VisionConfig config;
    private final Gemma4VisionWeights weights;
    private final Arena arena;

    private Gemma4Mmproj(GgufFile file, Gemma4VisionConfig config, Gemma4VisionWeights weights, Arena arena) {
        this.file = file;
        this.config = config;
        this.weights = weights;
        this.arena = arena;
    }

    public static Gemma4Mmproj load(Path path) {
        GgufFile file = GgufFile.open(path);
        Arena arena = Arena.ofShared();
        try {
            Gemma4VisionConfig config = Gemma4VisionConfig.fromGguf(path.toString(), file.metadata());
            return new Gemma4Mmproj(file, config, Gemma4VisionWeights.load(file, config, arena), arena);
        } catch (RuntimeException e) {
            arena.close();
            file.close();
            throw e;
        }
    }

    /** Whether {@code path}'s vision projector is a Gemma 4 one (reads only the keys). */
    public static boolean isGemma4(Path path) {
        try (GgufFile file = GgufFile.open(path)) {
            var m = file.metadata();
            String type = m.string(ClipKeys.VISION_PROJECTOR_TYPE).or(() -> m.string(ClipKeys.PROJECTOR_TYPE))
                    .orElse("");
            return Gemma4VisionConfig.Kind.fromGguf(type) != null;
        }
    }

    public Path path() {
        return file.path();
    }

    public Gemma4VisionConfig config() {
        return config;
    }

    public Gemma4VisionWeights weights() {
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
        Gemma4VisionConfig c = config;
        String tower = c.kind() == Gemma4VisionConfig.Kind.ENCODER
                ? String.format("%d layers, width %d, ffn %d, heads %d x %d, patch %d, pool %d", c.layers(), c.hidden(),
                        c.ffn(), c.heads(), c.headDim(), c.patchSize(), c.merge())
                : String.format("no encoder, patches of %d px to width %d", c.unit(), c.hidden());
        return String.format("mmproj %s: %s, %s, positions %d per axis -> one soft token per %d px square of width %d,"
                        + " weights %s%n", file.path().getFileName(), c.kind().ggufName(), tower, weights.positionRows(),
                c.unit(), c.projectionDim(), Model.bytes(weights.byteSize()));
    }

    @Override
    public void close() {
        arena.close();
        file.close();
    }
}
