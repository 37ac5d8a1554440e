package io.tessera.pipeline.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tessera.pipeline.gguf.GgufKeys;
import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.gguf.GgufValue;
import io.tessera.pipeline.gguf.GgufValueType;

/**
 * How a gemma3n file's keys become the decoder's configuration, against the converter's meaning of
 * them (llama.cpp {@code conversion/gemma.py} {@code Gemma3NModel}) and llama.cpp's fixed values
 * where a key is absent; and the typed errors for what the decoder cannot run.
 */
class Gemma3nConfigTest {
    static final RandomGemma3nFile SMALL = new RandomGemma3nFile(12, 64, 128, 4, 2, 32, 300, 16, 1_000_000f, 10_000f,
            5, GgufTensorType.F32);

    @TempDir
    Path dir;

    private Path write(Map<String, Optional<GgufValue>> changes) throws IOException {
        Path file = dir.resolve("g.gguf");
        SMALL.write(file, changes);
        return file;
    }

    @Test
    void withoutItsKeysAFileMeansWhatLlamaCppFixes() throws IOException {
        String a = "gemma3n";
        Path file = write(Map.of(GgufKeys.slidingWindowPattern(a), Optional.empty(),
                GgufKeys.activationSparsityScale(a), Optional.empty(), GgufKeys.altupNumInputs(a), Optional.empty()));
        try (Model m = Model.load(file)) {
            AltUpConfig altUp = m.altUp().orElseThrow();
            assertThat(altUp.streams()).isEqualTo(4);
            for (int i = 0; i < 12; i++) {
                // load_swa_pattern(ml, 5): four local layers, then one global
                assertThat(m.config().layer(i).local()).as("layer %d local", i).isEqualTo(i % 5 != 4);
                // n_layer_sparsity = 10, f_sparsity_std_mul = icdf(0.95)
                assertThat(altUp.sparse(i)).as("layer %d sparse", i).isEqualTo(i < 10);
            }
            assertThat(altUp.stdMultiplier(0)).isEqualTo(1.6448533535003662f);
        }
    }

    @Test
    void sparsityFollowsTheConvertersCutOffs() throws IOException {
        float[] scales = new float[12];
        java.util.Arrays.fill(scales, Float.NEGATIVE_INFINITY);
        scales[3] = 0.5f;
        Path file = write(Map.of(GgufKeys.activationSparsityScale("gemma3n"),
                Optional.of(new GgufValue.Array(GgufValueType.FLOAT32, scales))));
        try (Model m = Model.load(file)) {
            AltUpConfig altUp = m.altUp().orElseThrow();
            for (int i = 0; i < 12; i++) {
                assertThat(altUp.sparse(i)).as("layer %d sparse", i).isEqualTo(i == 3);
            }
            assertThat(altUp.stdMultiplier(3)).isEqualTo(0.5f);
        }
    }

    @Test
    void anotherActiveStreamIsATypedError() throws IOException {
        Path file = write(Map.of(GgufKeys.altupActiveIdx("gemma3n"),
                Optional.of(new GgufValue.Integer(GgufValueType.UINT32, 1))));
        assertThatThrownBy(() -> Model.load(file)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("gemma3n.altup.active_idx = 1");
    }

    @Test
    void missingPerLayerInputsAreATypedError() throws IOException {
        Path file = write(Map.of(GgufKeys.embeddingLengthPerLayerInput("gemma3n"), Optional.empty()));
        assertThatThrownBy(() -> Model.load(file)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("missing key gemma3n.embedding_length_per_layer_input");
    }

    @Test
    void sparsityForTheWrongLayerCountIsATypedError() throws IOException {
        Path file = write(Map.of(GgufKeys.activationSparsityScale("gemma3n"),
                Optional.of(new GgufValue.Array(GgufValueType.FLOAT32, new float[] {1f, 2f}))));
        assertThatThrownBy(() -> Model.load(file)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("has 2 values for 12 layers");
    }
}
