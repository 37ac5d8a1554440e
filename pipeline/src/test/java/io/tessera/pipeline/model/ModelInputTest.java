package io.tessera.pipeline.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiFunction;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tessera.pipeline.generate.Decoder;
import io.tessera.pipeline.generate.PromptException;
import io.tessera.pipeline.gguf.GgufFile;
import io.tessera.pipeline.gguf.GgufFormatException;
import io.tessera.pipeline.gguf.GgufKeys;
import io.tessera.pipeline.gguf.GgufTensorInfo;
import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.gguf.GgufValue;
import io.tessera.pipeline.gguf.GgufWriter;
import io.tessera.tasks.api.Device;

/** Bad model files and bad prompts: one clear, typed error each, naming what is wrong. */
class ModelInputTest {
    @TempDir
    static Path dir;
    static Path good;

    @BeforeAll
    static void writeGoodFile() throws IOException {
        good = dir.resolve("good.gguf");
        new RandomGemmaFile(Architecture.GEMMA3, 2, 64, 128, 2, 1, 32, 300, 8, 64, GgufTensorType.F32,
                GgufTensorType.F32, 1e6f, 1f, 0f, 0f, 5).write(good);
    }

    /** A copy of the good file with its metadata and tensors passed through {@code edit}. */
    static Path rewrite(String name, java.util.function.Consumer<Map<String, GgufValue>> editMetadata,
                        BiFunction<GgufTensorInfo, long[], long[]> dims) throws IOException {
        Path out = dir.resolve(name);
        try (GgufFile f = GgufFile.open(good)) {
            GgufWriter w = new GgufWriter();
            Map<String, GgufValue> md = new java.util.LinkedHashMap<>(f.metadata().asMap());
            editMetadata.accept(md);
            md.forEach(w::put);
            for (GgufTensorInfo t : f.tensors()) {
                long[] d = dims.apply(t, t.dims());
                if (d != null) {
                    w.addTensor(t.name(), t.type(), d, f.data(t));
                }
            }
            w.write(out);
        }
        return out;
    }

    @Test
    void goodFileLoadsWithItsConfiguration() {
        try (Model m = Model.load(good)) {
            assertThat(m.config().layerCount()).isEqualTo(2);
            assertThat(m.config().vocab()).isEqualTo(300);
            assertThat(m.endTokens()).containsExactly(RandomGemmaFile.EOS, 5);
            assertThat(m.report()).contains("gemma3").contains("F32");
        }
    }

    @Test
    void truncatedFileIsAFormatError() throws IOException {
        Path t = dir.resolve("truncated.gguf");
        Files.copy(good, t);
        try (RandomAccessFile f = new RandomAccessFile(t.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        assertThatThrownBy(() -> Model.load(t)).isInstanceOf(GgufFormatException.class);
    }

    @Test
    void wrongMagicIsAFormatError() throws IOException {
        Path t = dir.resolve("magic.gguf");
        Files.copy(good, t);
        try (RandomAccessFile f = new RandomAccessFile(t.toFile(), "rw")) {
            f.write("GGUX".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        assertThatThrownBy(() -> Model.load(t)).isInstanceOf(GgufFormatException.class);
    }

    @Test
    void unknownArchitectureIsNamed() throws IOException {
        Path t = rewrite("llama.gguf", md -> md.put(GgufKeys.ARCHITECTURE, new GgufValue.Str("llama")), (i, d) -> d);
        assertThatThrownBy(() -> Model.load(t)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("unknown architecture 'llama'").hasMessageContaining("gemma3");
    }

    @Test
    void missingTensorIsNamed() throws IOException {
        Path t = rewrite("missing.gguf", md -> { }, (i, d) -> i.name().equals("blk.1.ffn_up.weight") ? null : d);
        assertThatThrownBy(() -> Model.load(t)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("missing tensor blk.1.ffn_up.weight").hasMessageContaining("gemma3");
    }

    @Test
    void shapeMismatchOfAProjection() throws IOException {
        Path t = rewrite("ffn.gguf", md -> { },
                (i, d) -> i.name().equals("blk.0.ffn_gate.weight") ? new long[] {d[1], d[0]} : d);
        assertThatThrownBy(() -> Model.load(t)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("tensor blk.0.ffn_gate.weight has shape [128, 64], expected [64, 128]");
    }

    @Test
    void missingKeyIsNamed() throws IOException {
        Path t = rewrite("nokey.gguf", md -> md.remove("gemma3.attention.layer_norm_rms_epsilon"), (i, d) -> d);
        assertThatThrownBy(() -> Model.load(t)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("missing key gemma3.attention.layer_norm_rms_epsilon");
    }

    @Test
    void promptLongerThanTheContextIsRefused() {
        try (Model m = Model.load(good);
             Decoder d = new Decoder(m, Device.jvm(), new Decoder.Options(8, 4, false))) {
            assertThatThrownBy(() -> d.prefill(new int[9])).isInstanceOf(PromptException.class)
                    .hasMessageContaining("9 tokens").hasMessageContaining("context of 8");
            d.prefill(new int[] {2, 10, 11, 12, 13, 14, 15, 16});
            assertThatThrownBy(() -> d.decode(17)).isInstanceOf(PromptException.class)
                    .hasMessageContaining("context of 8");
        }
    }

    @Test
    void tokenOutsideTheVocabularyIsRefused() {
        try (Model m = Model.load(good);
             Decoder d = new Decoder(m, Device.jvm(), new Decoder.Options(16, 4, false))) {
            assertThatThrownBy(() -> d.prefill(new int[] {2, 300})).isInstanceOf(PromptException.class)
                    .hasMessageContaining("token id 300").hasMessageContaining("vocabulary of 300");
            assertThatThrownBy(() -> d.prefill(new int[] {-1})).isInstanceOf(PromptException.class);
        }
    }

    @Test
    void decodeBeforeAnyPromptIsAnError() {
        try (Model m = Model.load(good);
             Decoder d = new Decoder(m, Device.jvm(), new Decoder.Options(16, 4, false))) {
            assertThatThrownBy(() -> d.decode(5)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void everyGraphPrintsItsDataflow() {
        try (Model m = Model.load(good);
             Decoder d = new Decoder(m, Device.jvm(), new Decoder.Options(16, 4, true))) {
            // per layer a prefill and a decode graph; then prefill embedding, prefill input rows,
            // prefill logits, the prefill's last row, decode embedding and decode logits
            assertThat(d.diagrams()).hasSize(2 * 2 + 6);
            String layer = d.diagrams().stream().filter(s -> s.startsWith("graph prefillLayer1")).findFirst()
                    .orElseThrow();
            // two Gemma 3 layers: both local (the sixth would be the first global one)
            assertThat(layer).contains("4 tokens, local, window 8").containsPattern("x, blk.1.attn_norm +--\\[ attnNorm Norm.rmsNorm")
                    .contains("--[ attention ImageAttention.prefillBlock").contains("keyCache1")
                    .contains("blk.1.attn_q.weight F32");
            assertThat(d.diagrams()).anyMatch(g -> g.startsWith("graph decodeLayer0: 1 token, local, window 8")
                    && g.contains("--[ attention CachedAttention.decode"));
        }
    }
}
