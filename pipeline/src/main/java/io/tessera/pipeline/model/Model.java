package io.tessera.pipeline.model;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import io.tessera.pipeline.gguf.GgufFile;
import io.tessera.pipeline.gguf.GgufTensorInfo;
import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.gguf.GgufTokenizerMetadata;
import io.tessera.tokenizer.ChatTemplate;
import io.tessera.tokenizer.Marker;
import io.tessera.tokenizer.Tokenizer;

/**
 * A Gemma-family model loaded from a GGUF file: its configuration, its weights (views of the
 * memory-mapped file) and its tokenizer. Closing it unmaps the file.
 */
public final class Model implements AutoCloseable {
    private final GgufFile file;
    private final ModelConfig config;
    private final ModelWeights weights;
    private final Tokenizer tokenizer;
    private final Arena arena;
    private final AltUpConfig altUp;
    private final AltUpWeights altUpWeights;

    private Model(GgufFile file, ModelConfig config, ModelWeights weights, Tokenizer tokenizer, Arena arena,
                  AltUpConfig altUp, AltUpWeights altUpWeights) {
        this.file = file;
        this.config = config;
        this.weights = weights;
        this.tokenizer = tokenizer;
        this.arena = arena;
        this.altUp = altUp;
        this.altUpWeights = altUpWeights;
    }

    /**
     * Loads a model; {@code progress} hears each tensor's name as it is bound. A positive
     * {@code attentionScale} replaces llama.cpp's rule (for files whose query_pre_attn_scalar is not
     * head_dim, which GGUF cannot say).
     */
    public static Model load(Path path, Consumer<String> progress, float attentionScale) {
        GgufFile file = GgufFile.open(path);
        Arena arena = Arena.ofShared();
        try {
            String name = path.toString();
            Tokenizer tokenizer = Tokenizer.fromMetadata(new GgufTokenizerMetadata(file.metadata()));
            GgufTensorInfo embedding = file.tensor(TensorNames.TOKEN_EMBEDDING).orElseThrow(() ->
                    new ModelFormatException(name, "missing tensor " + TensorNames.TOKEN_EMBEDDING + " (architecture "
                            + file.metadata().string("general.architecture").orElse("?") + ")"));
            int vocab = tokenizer.vocabulary().size();
            ModelConfig fileConfig = ModelConfig.fromGguf(name, file.metadata(), vocab);
            AltUpConfig altUp = AltUpConfig.fromGguf(name, file, fileConfig).orElse(null);
            ModelConfig config = attentionScale > 0 ? fileConfig.withAttentionScale(attentionScale) : fileConfig;
            if (embedding.rank() != 2 || embedding.dim(1) != vocab) {
                throw new ModelFormatException(name, "tensor " + TensorNames.TOKEN_EMBEDDING + " has shape "
                        + java.util.Arrays.toString(embedding.dims()) + ", expected [" + config.hidden() + ", " + vocab
                        + "] for a vocabulary of " + vocab + " tokens");
            }
            ModelWeights weights = ModelWeights.load(file, config, arena, progress);
            AltUpWeights altUpWeights = altUp != null ? AltUpWeights.load(file, config, altUp, arena, progress) : null;
            return new Model(file, config, weights, tokenizer, arena, altUp, altUpWeights);
        } catch (RuntimeException e) {
            arena.close();
            file.close();
            throw e;
        }
    }

    public static Model load(Path path) {
        return load(path, name -> { }, 0f);
    }

    public Path path() {
        return file.path();
    }

    public ModelConfig config() {
        return config;
    }

    public ModelWeights weights() {
        return weights;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** Gemma 3n's AltUp streams, LAuReL and activation sparsity, if the family has them. */
    public Optional<AltUpConfig> altUp() {
        return Optional.ofNullable(altUp);
    }

    /** The weights of {@link #altUp()}; null when the family has none. */
    public AltUpWeights altUpWeights() {
        return altUpWeights;
    }

    /** Tokens that end a generation: {@code <eos>} and, where the vocabulary has it, {@code <end_of_turn>}. */
    public List<Integer> endTokens() {
        List<Integer> ends = new ArrayList<>();
        ends.add(tokenizer.specialIds().eos());
        // Gemma 1-3 close a turn with <end_of_turn>, Gemma 4 with <turn|>
        for (Marker m : List.of(Marker.END_OF_TURN, Marker.TURN_CLOSE)) {
            tokenizer.marker(m).ifPresent(id -> {
                if (!ends.contains(id)) {
                    ends.add(id);
                }
            });
        }
        return List.copyOf(ends);
    }

    /**
     * The chat format of this model's family (Gemma 4 files: {@link ChatTemplate#GEMMA4}, Gemma 3n:
     * {@link ChatTemplate#GEMMA3N}).
     */
    public ChatTemplate chatTemplate() {
        return config.architecture().chatTemplate();
    }

    /** The load report: sizes, weight bytes and the type histogram. */
    public String report() {
        ModelConfig c = config;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("model %s: %s, %d layers, hidden %d, ffn %d, heads %d/%d kv, head_dim %d, vocab %d%n",
                file.path().getFileName(), c.architecture(), c.layerCount(), c.hidden(), c.ffn(), c.heads(),
                c.kvHeads(), c.headDim(), c.vocab()));
        long local = c.layers().stream().filter(LayerConfig::local).count();
        sb.append(String.format("  attention: %d local (window %d) / %d global layers, scale %.6g, softcaps %s/%s%n",
                local, c.layers().stream().mapToInt(LayerConfig::window).max().orElse(0), c.layerCount() - local,
                c.attentionScale(), c.attentionSoftcap() > 0 ? c.attentionSoftcap() : "none",
                c.finalSoftcap() > 0 ? c.finalSoftcap() : "none"));
        LayerConfig first = c.layer(0);
        List<String> layout = new ArrayList<>();
        c.layers().stream().filter(l -> l.headDim() != first.headDim() || l.kvHeads() != first.kvHeads()
                || l.heads() != first.heads() || l.rotaryDims() != first.rotaryDims()).findFirst()
                .ifPresent(l -> layout.add(String.format("%s layers heads %d/%d kv, head_dim %d, rotary %d",
                        l.local() ? "local" : "global", l.heads(), l.kvHeads(), l.headDim(), l.rotaryDims())));
        long sharing = java.util.stream.IntStream.range(0, c.layerCount()).filter(i -> !c.ownsKv(i)).count();
        if (sharing > 0) {
            layout.add(sharing + " layers reuse an earlier layer's KV cache");
        }
        if (c.perLayerInput() > 0) {
            layout.add("per-layer inputs of width " + c.perLayerInput());
        }
        if (!layout.isEmpty()) {
            sb.append("  layout: ").append(String.join(", ", layout)).append(String.format("%n"));
        }
        Map<GgufTensorType, Long> bytes = weights.bytesByType();
        Map<GgufTensorType, Integer> counts = weights.countByType();
        sb.append(String.format("  weights: %s in %d tensors (", bytes(weights.byteSize()),
                counts.values().stream().mapToInt(Integer::intValue).sum()));
        List<String> parts = new ArrayList<>();
        bytes.forEach((t, b) -> parts.add(t + " " + counts.get(t) + " tensors " + bytes(b)));
        sb.append(String.join(", ", parts)).append(")\n");
        if (altUp != null) {
            long altUpBytes = 0;
            for (Object t : altUpWeights.tensors()) {
                altUpBytes += t instanceof Weight w ? w.byteSize() : ((io.tessera.tasks.api.FloatArray) t).byteSize();
            }
            long sparse = java.util.stream.IntStream.range(0, c.layerCount()).filter(altUp::sparse).count();
            sb.append(String.format("  altup: %d streams, LAuReL rank %d, gaussian top-k on %d layers (%s more weights)%n",
                    altUp.streams(), altUp.laurelRank(), sparse, bytes(altUpBytes)));
        }
        return sb.toString();
    }

    /** A byte count in the largest unit that keeps it at least 1. */
    public static String bytes(long n) {
        if (n >= 1L << 30) {
            return String.format("%.2f GiB", n / (double) (1L << 30));
        }
        if (n >= 1L << 20) {
            return String.format("%.1f MiB", n / (double) (1L << 20));
        }
        if (n >= 1L << 10) {
            return String.format("%.1f KiB", n / 1024.0);
        }
        return n + " B";
    }

    @Override
    public void close() {
        arena.close();
        file.close();
    }
}
