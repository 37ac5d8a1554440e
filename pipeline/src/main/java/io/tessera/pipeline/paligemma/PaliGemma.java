package io.tessera.pipeline.paligemma;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.tessera.pipeline.model.Model;
import io.tessera.pipeline.model.ModelConfig;
import io.tessera.pipeline.model.ModelFormatException;
import io.tessera.pipeline.safetensors.SafetensorsCheckpoint;
import io.tessera.pipeline.vision.VisionConfig;
import io.tessera.tokenizer.Marker;
import io.tessera.tokenizer.Tokenizer;
import io.tessera.tokenizer.TokenizerFiles;

/**
 * A PaliGemma 1 or 2 model loaded from a Hugging Face directory ({@code config.json},
 * {@code tokenizer.json}, {@code model.safetensors} or shards with their index, optionally
 * {@code preprocessor_config.json}): configuration, weights (views of the memory-mapped
 * safetensors) and tokenizer. Closing it unmaps the files.
 */
public final class PaliGemma implements AutoCloseable {
    public static final String TOKENIZER = "tokenizer.json";

    private final Path directory;
    private final PaliGemmaConfig config;
    private final PaliGemmaWeights weights;
    private final Tokenizer tokenizer;
    private final SafetensorsCheckpoint checkpoint;
    private final Arena arena;

    private PaliGemma(Path directory, PaliGemmaConfig config, PaliGemmaWeights weights, Tokenizer tokenizer,
                      SafetensorsCheckpoint checkpoint, Arena arena) {
        this.directory = directory;
        this.config = config;
        this.weights = weights;
        this.tokenizer = tokenizer;
        this.checkpoint = checkpoint;
        this.arena = arena;
    }

    /** Whether {@code path} is a directory that looks like a Hugging Face model (has a config.json). */
    public static boolean isDirectory(Path path) {
        return Files.isDirectory(path) && Files.isRegularFile(path.resolve(PaliGemmaConfig.CONFIG));
    }

    public static PaliGemma load(Path directory) {
        String name = directory.toString();
        if (!Files.isDirectory(directory)) {
            throw new ModelFormatException(name, "not a directory (a PaliGemma model is a Hugging Face directory)");
        }
        Path tokenizerFile = directory.resolve(TOKENIZER);
        if (!Files.isRegularFile(tokenizerFile)) {
            throw new ModelFormatException(name, "no " + TOKENIZER + " in the directory");
        }
        Tokenizer tokenizer = TokenizerFiles.load(tokenizerFile);
        int imageToken = tokenizer.marker(Marker.PALIGEMMA_IMAGE).orElse(-1);
        PaliGemmaConfig config = PaliGemmaConfig.read(directory, tokenizer.vocabulary().size(), imageToken);
        if (tokenizer.specialIds().bos() < 0 || tokenizer.specialIds().eos() < 0) {
            throw new ModelFormatException(tokenizerFile.toString(), "the vocabulary has no <bos> or <eos> token");
        }
        SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(directory);
        Arena arena = Arena.ofShared();
        try {
            PaliGemmaWeights weights = PaliGemmaWeights.load(checkpoint, config, arena);
            return new PaliGemma(directory, config, weights, tokenizer, checkpoint, arena);
        } catch (RuntimeException e) {
            arena.close();
            checkpoint.close();
            throw e;
        }
    }

    public Path directory() {
        return directory;
    }

    public PaliGemmaConfig config() {
        return config;
    }

    public PaliGemmaWeights weights() {
        return weights;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** PaliGemma answers end with {@code <eos>} (the training suffix is {@code suffix + "<eos>"}, spec/MODELS.md §3). */
    public List<Integer> endTokens() {
        return List.of(tokenizer.specialIds().eos());
    }

    /**
     * The text ids of the prefix after the image tokens: {@code <bos>} + prompt + {@code "\n"}, HF's
     * {@code build_string_from_input} without its {@code <image>}s (spec/MODELS.md §3).
     */
    public int[] prefixText(String prompt) {
        int[] text = tokenizer.encode(prompt + "\n", false, true);
        int[] ids = new int[text.length + 1];
        ids[0] = tokenizer.specialIds().bos();
        System.arraycopy(text, 0, ids, 1, text.length);
        return ids;
    }

    /** The load report: sizes and weight bytes. */
    public String report() {
        ModelConfig c = config.text();
        VisionConfig v = config.vision();
        long local = c.layers().stream().filter(l -> l.local()).count();
        return String.format("model %s: PaliGemma (%s decoder), %d layers, hidden %d, ffn %d, heads %d/%d kv, head_dim %d,"
                        + " vocab %d (%d embedding rows)%n"
                        + "  attention: %d local / %d global layers, scale %.6g, softcaps %s/%s%n"
                        + "  vision: SigLIP %d layers, width %d, ffn %d, heads %d, image %d, patch %d -> %d tokens,"
                        + " linear projector to %d%n"
                        + "  weights: text %s, vision %s%n",
                directory.getFileName(), c.architecture(), c.layerCount(), c.hidden(), c.ffn(), c.heads(), c.kvHeads(),
                c.headDim(), c.vocab(), config.embeddingRows(), local, c.layerCount() - local, c.attentionScale(),
                c.attentionSoftcap() > 0 ? c.attentionSoftcap() : "none",
                c.finalSoftcap() > 0 ? c.finalSoftcap() : "none", v.layers(), v.hidden(), v.ffn(), v.heads(),
                v.imageSize(), v.patchSize(), v.softTokens(), v.projectionDim(),
                Model.bytes(weights.text().byteSize()), Model.bytes(weights.vision().byteSize()));
    }

    @Override
    public void close() {
        arena.close();
        checkpoint.close();
    }
}
