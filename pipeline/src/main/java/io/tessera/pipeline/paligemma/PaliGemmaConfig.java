package io.tessera.pipeline.paligemma;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.tessera.pipeline.model.Architecture;
import io.tessera.pipeline.model.LayerConfig;
import io.tessera.pipeline.model.ModelConfig;
import io.tessera.pipeline.model.ModelFormatException;
import io.tessera.pipeline.vision.ProjectorType;
import io.tessera.pipeline.vision.VisionConfig;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * What a PaliGemma model is, read from a Hugging Face directory's {@code config.json} (and the
 * image mean and std from {@code preprocessor_config.json}): the Gemma 1 or Gemma 2 decoder as a
 * {@link ModelConfig}, the SigLIP encoder with PaliGemma's projector as a {@link VisionConfig}
 * (linear with bias, no pooling: (image / patch)^2 soft tokens, spec/MODELS.md §3).
 *
 * <p>Fields a config leaves out take the defaults of transformers' {@code GemmaConfig},
 * {@code Gemma2Config} and {@code SiglipVisionConfig}; the published PaliGemma configs rely on
 * them (head_dim, rms_norm_eps, rope_theta, and for Gemma 2 the soft caps and query_pre_attn_scalar).
 * Norm weights are stored as w and used as 1 + w (spec/MODELS.md §0.2); {@link PaliGemmaWeights}
 * adds the 1 once at load, so the decoder's convention (the stored vector is the multiplier) holds.
 *
 * @param text             the decoder; {@code vocab} is the tokenizer's size (the rows of the
 *                         embedding table that are tokens; HF pads the table past it)
 * @param vision           the encoder and projector
 * @param imageTokenIndex  id of {@code <image>}, the placeholder of each soft token
 * @param embeddingRows    rows of the stored embedding table ({@code vocab_size}, at least text.vocab)
 */
public record PaliGemmaConfig(ModelConfig text, VisionConfig vision, int imageTokenIndex, int embeddingRows) {
    public static final String CONFIG = "config.json";
    public static final String PREPROCESSOR = "preprocessor_config.json";

    public PaliGemmaConfig {
        if (vision.projectionDim() != text.hidden()) {
            throw new IllegalArgumentException("the projector maps into width " + vision.projectionDim()
                    + " but the text model has hidden size " + text.hidden());
        }
        if (embeddingRows < text.vocab()) {
            throw new IllegalArgumentException("the embedding table has " + embeddingRows
                    + " rows, fewer than the " + text.vocab() + " tokens of the tokenizer");
        }
        if (imageTokenIndex < 0 || imageTokenIndex >= text.vocab()) {
            throw new IllegalArgumentException("image_token_index " + imageTokenIndex
                    + " is outside the vocabulary of " + text.vocab() + " tokens");
        }
    }

    /** Soft tokens per image: (image / patch)^2 (256 at 224). */
    public int imageTokens() {
        return vision.softTokens();
    }

    /** Reads {@code dir/config.json} (and {@code preprocessor_config.json} when present). */
    public static PaliGemmaConfig read(Path dir, int tokenizerVocab, int imageTokenFallback) {
        Path file = dir.resolve(CONFIG);
        String name = file.toString();
        Json root = new Json(name, "", readJson(file));
        String type = root.string("model_type", null);
        if (!"paligemma".equals(type)) {
            throw new ModelFormatException(name, "model_type is " + (type == null ? "missing" : "'" + type + "'")
                    + ", expected 'paligemma'");
        }
        Json text = root.object("text_config");
        Json vision = root.object("vision_config");
        float[] mean = {0.5f, 0.5f, 0.5f};
        float[] std = {0.5f, 0.5f, 0.5f};
        Path pre = dir.resolve(PREPROCESSOR);
        if (Files.isRegularFile(pre)) {
            Json p = new Json(pre.toString(), "", readJson(pre));
            mean = p.floats3("image_mean", mean);
            std = p.floats3("image_std", std);
        }
        ModelConfig textConfig = textConfig(name, text, tokenizerVocab);
        VisionConfig visionConfig = visionConfig(name, vision, textConfig.hidden(), mean, std);
        int rows = text.integer("vocab_size", root.integer("vocab_size", 256_000));
        int imageToken = root.has("image_token_index") ? root.integer("image_token_index", 0)
                : root.integer("image_token_id", imageTokenFallback);
        if (text.has("num_image_tokens") && text.integer("num_image_tokens", 0) != visionConfig.softTokens()) {
            throw new ModelFormatException(name, "text_config.num_image_tokens is " + text.integer("num_image_tokens", 0)
                    + " but the encoder makes " + visionConfig.softTokens() + " tokens ((image_size / patch_size)^2)");
        }
        try {
            return new PaliGemmaConfig(textConfig, visionConfig, imageToken, rows);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(name, e.getMessage());
        }
    }

    /** Gemma 1 ({@code model_type gemma}) or Gemma 2 ({@code gemma2}), spec/MODELS.md §1.4. */
    static ModelConfig textConfig(String file, Json t, int vocab) {
        String type = t.string("model_type", "gemma");
        boolean gemma2 = switch (type) {
            case "gemma" -> false;
            case "gemma2" -> true;
            default -> throw new ModelFormatException(file, "text_config.model_type '" + type
                    + "' is not supported (PaliGemma uses gemma or gemma2)");
        };
        Architecture arch = gemma2 ? Architecture.GEMMA2 : Architecture.GEMMA;
        int hidden = t.integer("hidden_size", gemma2 ? 2304 : 3072);
        int ffn = t.integer("intermediate_size", gemma2 ? 9216 : 24576);
        int layerCount = t.integer("num_hidden_layers", gemma2 ? 26 : 28);
        int heads = t.integer("num_attention_heads", gemma2 ? 8 : 16);
        int kvHeads = t.integer("num_key_value_heads", gemma2 ? 4 : 16);
        int headDim = t.integer("head_dim", 256);
        float eps = (float) t.number("rms_norm_eps", 1e-6);
        float ropeBase = (float) t.number("rope_theta", 10_000);
        int context = t.integer("max_position_embeddings", 8192);
        String act = t.string("hidden_activation", null);
        if (act != null && !act.equals("gelu_pytorch_tanh")) {
            throw new ModelFormatException(file, "text_config.hidden_activation '" + act
                    + "' is not supported (Gemma uses gelu_pytorch_tanh)");
        }
        if (t.has("rope_scaling") && !t.node().path("rope_scaling").isNull()) {
            throw new ModelFormatException(file, "text_config.rope_scaling is set; PaliGemma uses none");
        }
        // Gemma 1 scales by head_dim^-0.5; Gemma 2 by query_pre_attn_scalar^-0.5 (spec/MODELS.md §0.1)
        float scale = (float) (1.0 / Math.sqrt(gemma2 ? t.number("query_pre_attn_scalar", 256) : headDim));
        float attnSoftcap = gemma2 ? (float) t.numberOrNull("attn_logit_softcapping", 50.0) : 0f;
        float finalSoftcap = gemma2 ? (float) t.numberOrNull("final_logit_softcapping", 30.0) : 0f;
        int window = gemma2 ? t.integer("sliding_window", 4096) : 0;
        List<String> layerTypes = t.strings("layer_types");
        if (layerTypes != null && layerTypes.size() != layerCount) {
            throw new ModelFormatException(file, "text_config.layer_types has " + layerTypes.size()
                    + " entries for " + layerCount + " layers");
        }
        List<LayerConfig> layers = new ArrayList<>();
        for (int i = 0; i < layerCount; i++) {
            boolean local = gemma2 && (layerTypes != null ? layerTypes.get(i).equals("sliding_attention")
                    : arch.isLocalLayer(i));
            layers.add(new LayerConfig(local, local ? window : 0, ropeBase, 1f, heads, kvHeads, headDim, headDim, ffn, i));
        }
        try {
            return new ModelConfig(arch, hidden, ffn, heads, kvHeads, headDim, headDim, vocab, context, eps, scale,
                    attnSoftcap, finalSoftcap, (float) Math.sqrt(hidden), layers, 0);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, "text_config: " + e.getMessage());
        }
    }

    /** SigLIP (spec/MODELS.md §2.1) with PaliGemma's projector: no pooling (merge 1), linear into the text width. */
    static VisionConfig visionConfig(String file, Json v, int textHidden, float[] mean, float[] std) {
        String act = v.string("hidden_act", "gelu_pytorch_tanh");
        if (!act.equals("gelu_pytorch_tanh") && !act.equals("gelu_fast")) {
            throw new ModelFormatException(file, "vision_config.hidden_act '" + act
                    + "' is not supported (SigLIP uses gelu_pytorch_tanh)");
        }
        int hidden = v.integer("hidden_size", 768);
        int heads = v.integer("num_attention_heads", 12);
        if (heads <= 0 || hidden % heads != 0) {
            throw new ModelFormatException(file, "vision_config: width " + hidden + " does not split into "
                    + heads + " heads");
        }
        try {
            return new VisionConfig(ProjectorType.PALIGEMMA, v.integer("image_size", 224), v.integer("patch_size", 16),
                    hidden, v.integer("intermediate_size", 3072), v.integer("num_hidden_layers", 12), heads,
                    hidden / heads, (float) v.number("layer_norm_eps", 1e-6), v.integer("projection_dim", textHidden),
                    1, mean, std);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, "vision_config: " + e.getMessage());
        }
    }

    static JsonNode readJson(Path file) {
        String name = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(name, "missing (a Hugging Face model directory needs it)");
        }
        try (InputStream in = Files.newInputStream(file)) {
            JsonNode n = new ObjectMapper().readTree(in);
            if (n == null || !n.isObject()) {
                throw new ModelFormatException(name, "the top level is not a JSON object");
            }
            return n;
        } catch (JacksonException e) {
            String problem = String.valueOf(e.getOriginalMessage()).replaceAll("\\s*\\R\\s*", " ").strip();
            throw new ModelFormatException(name, "not valid JSON: " + problem);
        } catch (IOException e) {
            throw new ModelFormatException(name, "cannot read: " + e.getMessage());
        }
    }

    /** Typed reads of one JSON object, naming the file and the field's path in every error. */
    record Json(String file, String path, JsonNode node) {
        boolean has(String key) {
            return node.has(key);
        }

        private String where(String key) {
            return path + key;
        }

        Json object(String key) {
            JsonNode n = node.path(key);
            if (!n.isObject()) {
                throw new ModelFormatException(file, "missing object " + where(key));
            }
            return new Json(file, where(key) + ".", n);
        }

        String string(String key, String fallback) {
            JsonNode n = node.path(key);
            if (n.isMissingNode() || n.isNull()) {
                return fallback;
            }
            if (!n.isString()) {
                throw new ModelFormatException(file, where(key) + " is not a string");
            }
            return n.stringValue();
        }

        int integer(String key, int fallback) {
            JsonNode n = node.path(key);
            if (n.isMissingNode() || n.isNull()) {
                return fallback;
            }
            if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 0) {
                throw new ModelFormatException(file, where(key) + " = " + n + " is not a non-negative integer");
            }
            return n.intValue();
        }

        double number(String key, double fallback) {
            JsonNode n = node.path(key);
            if (n.isMissingNode() || n.isNull()) {
                return fallback;
            }
            if (!n.isNumber()) {
                throw new ModelFormatException(file, where(key) + " = " + n + " is not a number");
            }
            return n.doubleValue();
        }

        /** A number; absent means {@code fallback}, null means 0 (a soft cap switched off). */
        double numberOrNull(String key, double fallback) {
            JsonNode n = node.path(key);
            if (n.isNull()) {
                return 0;
            }
            return number(key, fallback);
        }

        List<String> strings(String key) {
            JsonNode n = node.path(key);
            if (n.isMissingNode() || n.isNull()) {
                return null;
            }
            List<String> out = new ArrayList<>();
            for (JsonNode e : n) {
                if (!e.isString()) {
                    throw new ModelFormatException(file, where(key) + " holds a non-string");
                }
                out.add(e.stringValue());
            }
            return out;
        }

        float[] floats3(String key, float[] fallback) {
            JsonNode n = node.path(key);
            if (n.isMissingNode() || n.isNull()) {
                return fallback;
            }
            if (n.isNumber()) {
                float f = n.floatValue();
                return new float[] {f, f, f};
            }
            if (!n.isArray() || n.size() != 3 || !n.get(0).isNumber() || !n.get(1).isNumber() || !n.get(2).isNumber()) {
                throw new ModelFormatException(file, where(key) + " is not 3 numbers");
            }
            return new float[] {n.get(0).floatValue(), n.get(1).floatValue(), n.get(2).floatValue()};
        }
    }
}
