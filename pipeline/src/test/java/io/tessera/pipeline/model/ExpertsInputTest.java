package io.tessera.pipeline.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tessera.pipeline.gguf.GgufFile;
import io.tessera.pipeline.gguf.GgufKeys;
import io.tessera.pipeline.gguf.GgufTensorInfo;
import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.gguf.GgufValue;
import io.tessera.pipeline.gguf.GgufValueType;
import io.tessera.pipeline.gguf.GgufWriter;

/** Mixture-of-experts files: how they load, and one clear error per broken expert key or tensor. */
class ExpertsInputTest {
    @TempDir
    static Path dir;
    static Path good;

    @BeforeAll
    static void writeGoodFile() throws IOException {
        good = dir.resolve("moe.gguf");
        new RandomGemmaFile(Architecture.GEMMA4, 2, 64, 96, 2, 1, 32, 300, 8, 64, GgufTensorType.Q8_0,
                GgufTensorType.F32, 1e6f, 1f, 0f, 30f, 7,
                new RandomGemmaFile.Gemma4Layout(2, 64, 1, 0.25f, 10_000f, 0, 0, false, false, false,
                        new RandomExperts(6, 2, 32, false, true))).write(good);
    }

    /** A copy of the good file with its metadata edited and the tensors {@code keep} accepts. */
    static Path rewrite(String name, Consumer<Map<String, GgufValue>> edit, Predicate<GgufTensorInfo> keep)
            throws IOException {
        Path out = dir.resolve(name);
        try (GgufFile f = GgufFile.open(good)) {
            GgufWriter w = new GgufWriter();
            Map<String, GgufValue> md = new java.util.LinkedHashMap<>(f.metadata().asMap());
            edit.accept(md);
            md.forEach(w::put);
            for (GgufTensorInfo t : f.tensors()) {
                if (keep.test(t)) {
                    w.addTensor(t.name(), t.type(), t.dims(), f.data(t));
                }
            }
            w.write(out);
        }
        return out;
    }

    @Test
    void everyLayerWithARouterIsAMixtureOfItsDenseMlpAndStackedExperts() {
        try (Model m = Model.load(good)) {
            for (LayerWeights l : m.weights().layers()) {
                FeedForward.Mixture x = (FeedForward.Mixture) l.ffn();
                assertThat(x.width()).isEqualTo(96);
                Experts e = x.experts();
                assertThat(e.count()).isEqualTo(6);
                assertThat(e.used()).isEqualTo(2);
                assertThat(e.width()).isEqualTo(32);
                assertThat(e.gate().stacked().rows()).isEqualTo(6 * 32);
                assertThat(e.gate().stacked().type()).isEqualTo(GgufTensorType.Q8_0);
                assertThat(e.down().rows()).isEqualTo(64);
                assertThat(e.gateUp()).isNull();
            }
        }
    }

    @Test
    void missingExpertCountIsNamed() throws IOException {
        Path f = rewrite("no-count.gguf", md -> md.remove(GgufKeys.expertCount("gemma4")), t -> true);
        assertThatThrownBy(() -> Model.load(f).close()).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("missing key gemma4.expert_count").hasMessageContaining("ffn_gate_inp");
    }

    @Test
    void moreExpertsPerTokenThanExpertsIsRefused() throws IOException {
        Path f = rewrite("too-many-used.gguf", md -> md.put(GgufKeys.expertUsedCount("gemma4"),
                new GgufValue.Integer(GgufValueType.UINT32, 7)), t -> true);
        assertThatThrownBy(() -> Model.load(f).close()).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("gemma4.expert_used_count = 7 exceeds gemma4.expert_count = 6");
    }

    @Test
    void missingExpertTensorIsNamed() throws IOException {
        Path f = rewrite("no-down.gguf", md -> { }, t -> !t.name().equals("blk.1.ffn_down_exps.weight"));
        assertThatThrownBy(() -> Model.load(f).close()).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("missing tensor blk.1.ffn_down_exps.weight");
    }

    @Test
    void expertTensorOfTheWrongWidthIsNamedWithBothShapes() throws IOException {
        Path f = rewrite("wide.gguf", md -> md.put(GgufKeys.expertFeedForwardLength("gemma4"),
                new GgufValue.Integer(GgufValueType.UINT32, 64)), t -> true);
        assertThatThrownBy(() -> Model.load(f).close()).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("blk.0.ffn_gate_exps.weight has shape [64, 32, 6], expected [64, 64, 6]");
    }
}
