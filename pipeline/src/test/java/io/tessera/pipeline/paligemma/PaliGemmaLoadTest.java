package io.tessera.pipeline.paligemma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import io.tessera.pipeline.model.Architecture;
import io.tessera.pipeline.model.ModelConfig;
import io.tessera.pipeline.model.ModelFormatException;
import io.tessera.pipeline.safetensors.SafetensorsFormatException;
import io.tessera.pipeline.safetensors.SafetensorsWriter;
import io.tessera.pipeline.vision.ProjectorType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Loading PaliGemma directories: what config.json means (the values the fixture wrote, and
 * transformers' defaults for what it leaves out), both tensor-name layouts, and one typed error
 * naming the file and the problem for each kind of bad directory.
 */
class PaliGemmaLoadTest {
    @TempDir
    Path tmp;

    private Path write(RandomPaliGemma m, String name) throws IOException {
        return m.write(tmp.resolve(name));
    }

    @Test
    void paliGemma2Config() throws IOException {
        try (PaliGemma m = PaliGemma.load(write(new RandomPaliGemma(true, "F16", false, 1), "f16"))) {
            ModelConfig c = m.config().text();
            assertSame(Architecture.GEMMA2, c.architecture());
            assertEquals(RandomPaliGemma.vocab(), c.vocab());
            assertEquals(RandomPaliGemma.vocab() + RandomPaliGemma.PADDING, m.config().embeddingRows());
            assertEquals((float) (1 / Math.sqrt(24)), c.attentionScale());
            assertEquals(2f, c.attentionSoftcap());
            assertEquals(5f, c.finalSoftcap());
            assertTrue(c.layer(0).local());
            assertEquals(RandomPaliGemma.WINDOW, c.layer(0).window());
            assertFalse(c.layer(1).local());
            assertTrue(c.layer(2).local());
            assertEquals((float) Math.sqrt(RandomPaliGemma.HIDDEN), c.embeddingScale());
            assertEquals(ProjectorType.PALIGEMMA, m.config().vision().projector());
            assertEquals(16, m.config().imageTokens());
            assertEquals(RandomPaliGemma.imageToken(), m.config().imageTokenIndex());
            assertNull(m.weights().vision().softEmbNorm());
            assertEquals(RandomPaliGemma.vocab(), m.weights().text().tokenEmbedding().rows());
            assertSame(m.weights().text().tokenEmbedding(), m.weights().text().output());
            assertTrue(m.report().contains("PaliGemma (gemma2 decoder)"), m.report());
            int[] prefix = m.prefixText("caption en");
            assertEquals(m.tokenizer().specialIds().bos(), prefix[0]);
            assertEquals("\n", m.tokenizer().decode(new int[] {prefix[prefix.length - 1]}));
        }
    }

    @Test
    void paliGemma1ConfigAndItsNorms() throws IOException {
        RandomPaliGemma spec = new RandomPaliGemma(false, "F32", false, 2);
        try (PaliGemma m = PaliGemma.load(write(spec, "g1"))) {
            ModelConfig c = m.config().text();
            assertSame(Architecture.GEMMA, c.architecture());
            assertEquals(1, c.kvHeads());
            assertEquals((float) (1 / Math.sqrt(RandomPaliGemma.HEAD_DIM)), c.attentionScale());
            assertEquals(0f, c.finalSoftcap());
            assertTrue(c.layers().stream().noneMatch(l -> l.local()));
            // HF stores w; the decoder multiplies by 1 + w
            float stored = spec.weights().tensors().get(PaliGemmaTensorNames.LEGACY.finalNorm()).values()[3];
            assertEquals(1f + stored, m.weights().text().outputNorm().get(3));
        }
    }

    @Test
    void currentTransformersLayout() throws IOException {
        RandomPaliGemma spec = new RandomPaliGemma(false, "F32", false, 3);
        Path dir = write(spec, "current");
        Map<String, SafetensorsWriter.Entry> renamed = new LinkedHashMap<>();
        PaliGemmaTensorNames from = PaliGemmaTensorNames.LEGACY;
        PaliGemmaTensorNames to = PaliGemmaTensorNames.CURRENT;
        spec.weights().tensors().forEach((k, v) -> renamed.put(k.startsWith(from.text()) ? to.text() + k.substring(
                from.text().length()) : k.startsWith(from.vision()) ? to.vision() + k.substring(from.vision().length())
                : to.projector() + k.substring(from.projector().length()), v));
        SafetensorsWriter.write(dir.resolve("model.safetensors"), renamed);
        try (PaliGemma m = PaliGemma.load(dir)) {
            assertEquals(to.embedTokens(), m.weights().text().tokenEmbedding().name());
        }
    }

    private Path broken(String name, Consumer<ObjectNode> config, Consumer<Map<String, SafetensorsWriter.Entry>> tensors)
            throws IOException {
        RandomPaliGemma spec = new RandomPaliGemma(true, "F32", false, 4);
        Path dir = write(spec, name);
        ObjectMapper json = new ObjectMapper();
        ObjectNode c = (ObjectNode) json.readTree(dir.resolve("config.json").toFile());
        config.accept(c);
        json.writeValue(dir.resolve("config.json").toFile(), c);
        Map<String, SafetensorsWriter.Entry> t = spec.weights().tensors();
        tensors.accept(t);
        SafetensorsWriter.write(dir.resolve("model.safetensors"), t);
        return dir;
    }

    private static void rejects(Class<? extends RuntimeException> kind, Path dir, String file, String... parts) {
        RuntimeException e = assertThrows(kind, () -> PaliGemma.load(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve(file).toString().replaceAll("/\\.?$", "")), e.getMessage());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' should say '" + p + "'");
        }
    }

    @Test
    void badDirectories() throws IOException {
        String q1 = PaliGemmaTensorNames.LEGACY.q(1);
        rejects(ModelFormatException.class, broken("type", c -> c.put("model_type", "llava"), t -> { }),
                "config.json", "model_type is 'llava'");
        rejects(ModelFormatException.class, broken("text", c -> ((ObjectNode) c.get("text_config"))
                .put("model_type", "gemma3"), t -> { }), "config.json", "text_config.model_type 'gemma3'");
        rejects(ModelFormatException.class, broken("tokens", c -> ((ObjectNode) c.get("text_config"))
                .put("num_image_tokens", 256), t -> { }), "config.json", "num_image_tokens is 256", "16 tokens");
        rejects(ModelFormatException.class, broken("proj", c -> ((ObjectNode) c.get("vision_config"))
                .put("projection_dim", 48), t -> { }), "config.json", "maps into width 48");
        rejects(ModelFormatException.class, broken("field", c -> ((ObjectNode) c.get("text_config"))
                .put("num_hidden_layers", "three"), t -> { }), "config.json", "text_config.num_hidden_layers");
        // transformers' default head_dim is 256: 4 heads of it do not fit this checkpoint's q_proj
        rejects(ModelFormatException.class, broken("headdim", c -> ((ObjectNode) c.get("text_config"))
                .remove("head_dim"), t -> { }), "", "tensor " + PaliGemmaTensorNames.LEGACY.q(0), "[1024, 64]");
        rejects(ModelFormatException.class, broken("missing", c -> { }, t -> t.remove(q1)), "",
                "missing tensor " + q1);
        rejects(ModelFormatException.class, broken("shape", c -> { }, t -> t.put(q1,
                new SafetensorsWriter.Entry("F32", new long[] {64, 32}, new float[64 * 32]))), "",
                "tensor " + q1 + " has shape [64, 32], expected [64, 64]");
        rejects(ModelFormatException.class, broken("dtype", c -> { }, t -> t.put(q1,
                new SafetensorsWriter.Entry("I32", new long[] {64, 64}, new float[64 * 64]))), "",
                "tensor " + q1 + " has dtype I32");
        Path truncated = write(new RandomPaliGemma(false, "F32", false, 5), "truncated");
        byte[] bytes = Files.readAllBytes(truncated.resolve("model.safetensors"));
        Files.write(truncated.resolve("model.safetensors"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        rejects(SafetensorsFormatException.class, truncated, "model.safetensors", "past the end of the data");
        Path noTokenizer = write(new RandomPaliGemma(false, "F32", false, 6), "notok");
        Files.delete(noTokenizer.resolve("tokenizer.json"));
        rejects(ModelFormatException.class, noTokenizer, "", "no tokenizer.json");
        Path noConfig = write(new RandomPaliGemma(false, "F32", false, 6), "noconfig");
        Files.delete(noConfig.resolve("config.json"));
        rejects(ModelFormatException.class, noConfig, "config.json", "missing");
    }
}
