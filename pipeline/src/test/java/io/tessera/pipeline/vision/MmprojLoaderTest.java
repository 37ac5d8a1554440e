package io.tessera.pipeline.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.gguf.GgufValue;
import io.tessera.pipeline.gguf.GgufValueType;
import io.tessera.pipeline.model.Model;
import io.tessera.tasks.api.Device;

/** The mmproj loader on good and broken files: keys, projector type, required tensors, shapes, the text model. */
class MmprojLoaderTest {
    @TempDir
    static Path dir;
    static Path good;

    @BeforeAll
    static void write() throws IOException {
        good = dir.resolve("good.gguf");
        VisionFixtures.mmproj(GgufTensorType.F16).write(good);
    }

    @Test
    void readsTheConfigurationAndBindsEveryTensor() {
        try (Mmproj m = Mmproj.load(good)) {
            VisionConfig c = m.config();
            assertThat(c.projector()).isEqualTo(ProjectorType.GEMMA3);
            assertThat(c.patches()).isEqualTo(256);
            assertThat(c.softTokens()).isEqualTo(16);
            assertThat(c.headDim()).isEqualTo(16);
            assertThat(c.mean()).containsExactly(0.5f, 0.5f, 0.5f);
            assertThat(m.weights().layers()).hasSize(2);
            assertThat(m.weights().inputProjection().rows()).isEqualTo(VisionFixtures.TEXT_HIDDEN);
            assertThat(m.weights().patchEmbedding().type()).isEqualTo(GgufTensorType.F16);
            assertThat(m.report()).contains("gemma3", "16 soft tokens");
        }
    }

    @Test
    void theProjectionIsTransposedOnceIntoAnOrdinaryMatrix() throws IOException {
        try (Mmproj m = Mmproj.load(good); var f = io.tessera.pipeline.gguf.GgufFile.open(good)) {
            var stored = f.data(f.tensor(VisionTensorNames.MM_INPUT_PROJECTION).orElseThrow());
            var view = (io.tessera.tasks.api.HalfArray) m.weights().inputProjection().array();
            int e = m.config().projectionDim();
            int d = m.config().hidden();
            // stored memory [D][E] (HF [D, E]); the view is [E][D]
            for (int i = 0; i < d; i += 7) {
                for (int j = 0; j < e; j += 5) {
                    short s = stored.get(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, 2L * ((long) i * e + j));
                    assertThat(view.get((long) j * d + i)).isEqualTo(Float.float16ToFloat(s));
                }
            }
        }
    }

    @Test
    void anUnknownProjectorTypeIsNamed() throws IOException {
        Path p = dir.resolve("qwen.gguf");
        VisionFixtures.rewrite(good, p, meta -> meta.put(ClipKeys.PROJECTOR_TYPE, new GgufValue.Str("qwen2vl")),
                n -> true);
        assertThatThrownBy(() -> Mmproj.load(p)).isInstanceOf(MmprojFormatException.class)
                .hasMessageContaining("projector type 'qwen2vl' is not supported").hasMessageContaining("gemma3");
    }

    @Test
    void aTextModelIsNotAnMmproj() throws IOException {
        Path p = dir.resolve("gemma3.gguf");
        VisionFixtures.rewrite(good, p, meta -> meta.put("general.architecture", new GgufValue.Str("gemma3")),
                n -> true);
        assertThatThrownBy(() -> Mmproj.load(p)).isInstanceOf(MmprojFormatException.class)
                .hasMessageContaining("not an mmproj file").hasMessageContaining("'gemma3'");
    }

    @Test
    void aMissingRequiredTensorIsNamed() throws IOException {
        Path p = dir.resolve("missing.gguf");
        VisionFixtures.rewrite(good, p, meta -> { }, n -> !n.equals("v.blk.1.attn_k.weight"));
        assertThatThrownBy(() -> Mmproj.load(p)).isInstanceOf(MmprojFormatException.class)
                .hasMessageContaining("missing tensor v.blk.1.attn_k.weight").hasMessageContaining("gemma3");
    }

    @Test
    void optionalBiasesMayBeAbsent() throws IOException {
        Path p = dir.resolve("nobias.gguf");
        VisionFixtures.rewrite(good, p, meta -> { }, n -> !n.equals("v.blk.0.attn_q.bias")
                && !n.equals(VisionTensorNames.PATCH_BIAS));
        try (Mmproj m = Mmproj.load(p);
             VisionEncoder e = new VisionEncoder(m, Device.jvm(), VisionEncoder.Options.batch(1))) {
            assertThat(m.weights().layers().get(0).qBias()).isNull();
            assertThat(e.encode(java.util.List.of(VisionFixtures.pixels(m.config(), VisionFixtures.image(224, 3)))))
                    .hasSize(1);
        }
    }

    @Test
    void aWrongShapeIsReportedWithBothShapes() throws IOException {
        Path p = dir.resolve("shape.gguf");
        VisionFixtures.rewrite(good, p, meta -> meta.put(ClipKeys.FEED_FORWARD_LENGTH,
                new GgufValue.Integer(GgufValueType.UINT32, 96)), n -> true);
        assertThatThrownBy(() -> Mmproj.load(p)).isInstanceOf(MmprojFormatException.class)
                .hasMessageContaining("v.blk.0.ffn_up.weight has shape [64, 128], expected [64, 96]");
    }

    @Test
    void aMissingKeyIsNamed() throws IOException {
        Path p = dir.resolve("nokey.gguf");
        VisionFixtures.rewrite(good, p, meta -> meta.remove(ClipKeys.PATCH_SIZE), n -> true);
        assertThatThrownBy(() -> Mmproj.load(p)).isInstanceOf(MmprojFormatException.class)
                .hasMessageContaining("missing key " + ClipKeys.PATCH_SIZE);
    }

    @Test
    void theProjectionMustMatchTheTextWidth() throws IOException {
        Path text = dir.resolve("text.gguf");
        VisionFixtures.writeTextWithImageTokens(VisionFixtures.text(GgufTensorType.F32), text);
        Path wide = dir.resolve("wide.gguf");
        new RandomMmprojFile(224, 14, 64, 128, 1, 4, 96, 4, GgufTensorType.F32, 3).write(wide);
        try (Model model = Model.load(text); Mmproj m = Mmproj.load(wide)) {
            assertThatThrownBy(() -> m.checkCompatible(model)).isInstanceOf(MmprojFormatException.class)
                    .hasMessageContaining("maps into width 96").hasMessageContaining("hidden size 64");
        }
    }

    @Test
    void dumpsIntermediateTensorsByName() {
        try (Mmproj m = Mmproj.load(good);
             VisionEncoder e = new VisionEncoder(m, Device.jvm(), new VisionEncoder.Options(1,
                     Set.of("inp_embd", "blk.1.attn", "pooled", "mm_proj")))) {
            float[] out = e.encode(java.util.List.of(VisionFixtures.pixels(m.config(), VisionFixtures.image(224, 4))))
                    .getFirst();
            var dumped = e.dumped();
            assertThat(dumped).containsOnlyKeys("inp_embd", "blk.1.attn", "pooled", "mm_proj");
            assertThat(dumped.get("pooled").shape()).containsExactly(1, 16, 64);
            assertThat(dumped.get("mm_proj").data()).containsExactly(out);
            // pooled = the 4x4 mean of the post-LayerNorm patches: checked on its own through the dump of post_ln
        }
    }
}
