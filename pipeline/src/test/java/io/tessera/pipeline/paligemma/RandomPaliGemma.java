package io.tessera.pipeline.paligemma;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.tessera.pipeline.safetensors.SafetensorsWriter;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a PaliGemma model directory in the Hugging Face layout with seeded random weights and tiny
 * shapes: {@code config.json}, {@code preprocessor_config.json}, a {@code tokenizer.json} with the
 * PaliGemma special tokens ({@code <loc0000>..<loc1023>}, {@code <seg000>..<seg127>}, {@code <image>}
 * last), and {@code model.safetensors} or two shards with {@code model.safetensors.index.json}. The
 * embedding table has {@link #PADDING} rows past the tokenizer, as HF pads it.
 *
 * @param gemma2  PaliGemma 2 (Gemma 2 decoder: post norms, soft caps, sliding window) or 1 (Gemma 1)
 * @param dtype   F32, F16 or BF16 for every tensor
 * @param sharded two shards and an index instead of one file
 * @param seed    seed of the weights
 */
public record RandomPaliGemma(boolean gemma2, String dtype, boolean sharded, long seed) {
    public static final int PADDING = 13;
    // decoder
    public static final int HIDDEN = 64;
    public static final int FFN = 128;
    public static final int HEADS = 4;
    public static final int HEAD_DIM = 16;
    // vision: 56 px in 14 px patches -> 16 soft tokens
    public static final int IMAGE = 56;
    public static final int PATCH = 14;
    public static final int V_HIDDEN = 32;
    public static final int V_FFN = 48;
    public static final int V_HEADS = 2;
    public static final int V_LAYERS = 2;
    public static final int WINDOW = 8;

    public int layers() {
        return gemma2 ? 3 : 2;
    }

    public int kvHeads() {
        return gemma2 ? 2 : 1;
    }

    /** The tokenizer's pieces in id order. */
    public static List<String> vocabulary() {
        List<String> v = new ArrayList<>(List.of("<pad>", "<eos>", "<bos>", "<unk>"));
        for (int b = 0; b < 256; b++) {
            v.add(String.format("<0x%02X>", b));
        }
        v.add("\u2581");
        v.add("\n");
        for (char c = 'a'; c <= 'z'; c++) {
            v.add(String.valueOf(c));
        }
        for (char c = '0'; c <= '9'; c++) {
            v.add(String.valueOf(c));
        }
        v.addAll(List.of(";", ",", "."));
        for (int i = 0; i < 1024; i++) {
            v.add(String.format("<loc%04d>", i));
        }
        for (int i = 0; i < 128; i++) {
            v.add(String.format("<seg%03d>", i));
        }
        v.add("<image>");
        return v;
    }

    public static int vocab() {
        return vocabulary().size();
    }

    public static int imageToken() {
        return vocab() - 1;
    }

    public Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectMapper json = new ObjectMapper();
        json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), config(json));
        ObjectNode pre = json.createObjectNode();
        pre.putArray("image_mean").add(0.5).add(0.5).add(0.5);
        pre.putArray("image_std").add(0.5).add(0.5).add(0.5);
        pre.put("resample", 3);
        pre.put("image_processor_type", "SiglipImageProcessor");
        json.writeValue(dir.resolve("preprocessor_config.json").toFile(), pre);
        json.writeValue(dir.resolve("tokenizer.json").toFile(), tokenizer(json));
        SafetensorsWriter w = weights();
        if (!sharded) {
            w.write(dir.resolve("model.safetensors"));
            return dir;
        }
        Map<String, SafetensorsWriter.Entry> first = new LinkedHashMap<>();
        Map<String, SafetensorsWriter.Entry> second = new LinkedHashMap<>();
        ObjectNode index = json.createObjectNode();
        index.putObject("metadata").put("total_size", 0);
        ObjectNode map = index.putObject("weight_map");
        for (Map.Entry<String, SafetensorsWriter.Entry> e : w.tensors().entrySet()) {
            boolean vision = e.getKey().startsWith("vision_tower") || e.getKey().startsWith("multi_modal");
            (vision ? first : second).put(e.getKey(), e.getValue());
            map.put(e.getKey(), vision ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors");
        }
        SafetensorsWriter.write(dir.resolve("model-00001-of-00002.safetensors"), first);
        SafetensorsWriter.write(dir.resolve("model-00002-of-00002.safetensors"), second);
        json.writeValue(dir.resolve("model.safetensors.index.json").toFile(), index);
        return dir;
    }

    private ObjectNode config(ObjectMapper json) {
        ObjectNode c = json.createObjectNode();
        c.putArray("architectures").add("PaliGemmaForConditionalGeneration");
        c.put("model_type", "paligemma");
        c.put("image_token_index", imageToken());
        c.put("projection_dim", HIDDEN);
        c.put("hidden_size", HIDDEN);
        c.put("bos_token_id", 2);
        c.put("eos_token_id", 1);
        c.put("pad_token_id", 0);
        ObjectNode t = c.putObject("text_config");
        t.put("model_type", gemma2 ? "gemma2" : "gemma");
        t.put("hidden_size", HIDDEN);
        t.put("intermediate_size", FFN);
        t.put("num_hidden_layers", layers());
        t.put("num_attention_heads", HEADS);
        t.put("num_key_value_heads", kvHeads());
        t.put("head_dim", HEAD_DIM);
        t.put("vocab_size", vocab() + PADDING);
        t.put("num_image_tokens", (IMAGE / PATCH) * (IMAGE / PATCH));
        t.put("rms_norm_eps", 1e-6);
        t.put("rope_theta", 10000.0);
        t.put("hidden_activation", "gelu_pytorch_tanh");
        if (gemma2) {
            t.put("query_pre_attn_scalar", 24);
            t.put("attn_logit_softcapping", 2.0);
            t.put("final_logit_softcapping", 5.0);
            t.put("sliding_window", WINDOW);
        }
        ObjectNode v = c.putObject("vision_config");
        v.put("model_type", "siglip_vision_model");
        v.put("hidden_size", V_HIDDEN);
        v.put("intermediate_size", V_FFN);
        v.put("num_hidden_layers", V_LAYERS);
        v.put("num_attention_heads", V_HEADS);
        v.put("image_size", IMAGE);
        v.put("patch_size", PATCH);
        v.put("projection_dim", HIDDEN);
        v.put("layer_norm_eps", 1e-6);
        v.put("vision_use_head", false);
        v.put("hidden_act", "gelu_pytorch_tanh");
        return c;
    }

    private static ObjectNode tokenizer(ObjectMapper json) {
        List<String> pieces = vocabulary();
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        ArrayNode added = root.putArray("added_tokens");
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.put("unk_token", "<unk>");
        model.put("byte_fallback", true);
        model.put("fuse_unk", true);
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < pieces.size(); i++) {
            String p = pieces.get(i);
            vocab.put(p, i);
            boolean special = i < 4 || p.equals("<image>");
            if (special || p.startsWith("<loc") || p.startsWith("<seg")) {
                ObjectNode a = added.addObject();
                a.put("id", i).put("content", p).put("single_word", false).put("lstrip", false).put("rstrip", false)
                        .put("normalized", false).put("special", special);
            }
        }
        model.putArray("merges");
        ObjectNode norm = root.putObject("normalizer");
        norm.put("type", "Replace");
        norm.putObject("pattern").put("String", " ");
        norm.put("content", "\u2581");
        root.putNull("pre_tokenizer");
        root.putNull("post_processor");
        ObjectNode dec = root.putObject("decoder");
        dec.put("type", "Sequence");
        ArrayNode steps = dec.putArray("decoders");
        ObjectNode rep = steps.addObject();
        rep.put("type", "Replace");
        rep.putObject("pattern").put("String", "\u2581");
        rep.put("content", " ");
        steps.addObject().put("type", "ByteFallback");
        steps.addObject().put("type", "Fuse");
        return root;
    }

    /** The tensors in the legacy HF layout ({@link PaliGemmaTensorNames#LEGACY}). */
    public SafetensorsWriter weights() {
        Random r = new Random(seed);
        SafetensorsWriter w = new SafetensorsWriter();
        PaliGemmaTensorNames n = PaliGemmaTensorNames.LEGACY;
        int patches = (IMAGE / PATCH) * (IMAGE / PATCH);
        put(w, r, n.patchEmbedding("weight"), 0.15, V_HIDDEN, 3, PATCH, PATCH);
        put(w, r, n.patchEmbedding("bias"), 0.1, V_HIDDEN);
        put(w, r, n.positionEmbedding(), 0.3, patches, V_HIDDEN);
        for (int i = 0; i < V_LAYERS; i++) {
            putOffset(w, r, n.layerNorm1(i, "weight"), 1, 0.2, V_HIDDEN);
            put(w, r, n.layerNorm1(i, "bias"), 0.1, V_HIDDEN);
            for (String p : List.of("q_proj", "k_proj", "v_proj", "out_proj")) {
                put(w, r, n.visionAttention(i, p, "weight"), 1 / Math.sqrt(V_HIDDEN), V_HIDDEN, V_HIDDEN);
                put(w, r, n.visionAttention(i, p, "bias"), 0.1, V_HIDDEN);
            }
            putOffset(w, r, n.layerNorm2(i, "weight"), 1, 0.2, V_HIDDEN);
            put(w, r, n.layerNorm2(i, "bias"), 0.1, V_HIDDEN);
            put(w, r, n.visionMlp(i, "fc1", "weight"), 1 / Math.sqrt(V_HIDDEN), V_FFN, V_HIDDEN);
            put(w, r, n.visionMlp(i, "fc1", "bias"), 0.1, V_FFN);
            put(w, r, n.visionMlp(i, "fc2", "weight"), 1 / Math.sqrt(V_FFN), V_HIDDEN, V_FFN);
            put(w, r, n.visionMlp(i, "fc2", "bias"), 0.1, V_HIDDEN);
        }
        putOffset(w, r, n.postLayerNorm("weight"), 1, 0.2, V_HIDDEN);
        put(w, r, n.postLayerNorm("bias"), 0.1, V_HIDDEN);
        put(w, r, n.projector("weight"), 1 / Math.sqrt(V_HIDDEN), HIDDEN, V_HIDDEN);
        put(w, r, n.projector("bias"), 0.1, HIDDEN);

        put(w, r, n.embedTokens(), 0.5, vocab() + PADDING, HIDDEN);
        int q = HEADS * HEAD_DIM;
        int kv = kvHeads() * HEAD_DIM;
        for (int i = 0; i < layers(); i++) {
            put(w, r, n.inputNorm(i), 0.2, HIDDEN);
            put(w, r, n.q(i), 1 / Math.sqrt(HIDDEN), q, HIDDEN);
            put(w, r, n.k(i), 1 / Math.sqrt(HIDDEN), kv, HIDDEN);
            put(w, r, n.v(i), 1 / Math.sqrt(HIDDEN), kv, HIDDEN);
            put(w, r, n.o(i), 1 / Math.sqrt(q), HIDDEN, q);
            put(w, r, n.postAttentionNorm(i), 0.2, HIDDEN);
            if (gemma2) {
                put(w, r, n.preFeedforwardNorm(i), 0.2, HIDDEN);
                put(w, r, n.postFeedforwardNorm(i), 0.2, HIDDEN);
            }
            put(w, r, n.gate(i), 1 / Math.sqrt(HIDDEN), FFN, HIDDEN);
            put(w, r, n.up(i), 1 / Math.sqrt(HIDDEN), FFN, HIDDEN);
            put(w, r, n.down(i), 1 / Math.sqrt(FFN), HIDDEN, FFN);
        }
        put(w, r, n.finalNorm(), 0.2, HIDDEN);
        return w;
    }

    private void put(SafetensorsWriter w, Random r, String name, double std, long... shape) {
        putOffset(w, r, name, 0, std, shape);
    }

    private void putOffset(SafetensorsWriter w, Random r, String name, double mean, double std, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (mean + std * r.nextGaussian());
        }
        w.put(name, dtype, v, shape);
    }
}
