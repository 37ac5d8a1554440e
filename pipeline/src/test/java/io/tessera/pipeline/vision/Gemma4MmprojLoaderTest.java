package io.tessera.pipeline.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tessera.media.FloatTensor;
import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.gguf.GgufValue;
import io.tessera.pipeline.gguf.GgufWriter;
import io.tessera.tasks.api.Device;

/** The Gemma 4 vision loader on good and broken files: keys, clip bounds, required tensors, shapes. */
class Gemma4MmprojLoaderTest {
    @TempDir
    static Path dir;
    static Path tower;
    static Path unified;

    @BeforeAll
    static void write() throws IOException {
        tower = dir.resolve("tower.gguf");
        Gemma4VisionFixtures.encoder().write(tower);
        unified = dir.resolve("unified.gguf");
        Gemma4VisionFixtures.unified().write(unified);
    }

    @Test
    void readsBothProjectorsAndTheirClipBounds() {
        try (Mmproj m = Mmproj.load(tower)) {
            assertThat(m.hasGemma4Vision()).isTrue();
            Gemma4VisionConfig c = m.gemma4Vision();
            assertThat(c.kind()).isEqualTo(Gemma4VisionConfig.Kind.ENCODER);
            assertThat(c.unit()).isEqualTo(48);
            assertThat(c.pool()).isEqualTo(3);
            assertThat(c.headDim()).isEqualTo(16);
            Gemma4VisionWeights w = m.gemma4VisionWeights();
            assertThat(w.positionRows()).isEqualTo(Gemma4VisionFixtures.POSITION_ROWS);
            assertThat(w.layers().get(0).q().inMin()).isEqualTo(-1.5f);
            assertThat(w.layers().get(0).k().inMax()).isEqualTo(1.25f);
            assertThat(w.layers().get(0).up().clampsInput()).isTrue();
            assertThat(w.layers().get(0).outScale()).isNotEqualTo(1f);
            assertThat(w.stdBias()).isNotNull();
            assertThat(m.report()).contains("gemma4v", "2 layers", "one soft token per 48 px");
            assertThatThrownBy(m::config).isInstanceOf(MmprojFormatException.class).hasMessageContaining("gemma4v");
        }
        try (Mmproj m = Mmproj.load(unified)) {
            Gemma4VisionConfig c = m.gemma4Vision();
            assertThat(c.kind()).isEqualTo(Gemma4VisionConfig.Kind.UNIFIED);
            assertThat(c.encoderPatch()).isEqualTo(48);
            assertThat(c.pool()).isEqualTo(1);
            assertThat(m.gemma4VisionWeights().layers()).isEmpty();
            assertThat(m.gemma4VisionWeights().patchNormWeight()).hasSize(3);
        }
    }

    @Test
    void missingTensorsWrongShapesAndStrayBiasesAreNamed() throws IOException {
        Path noGate = dir.resolve("no-gate.gguf");
        VisionFixtures.rewrite(tower, noGate, m -> { }, n -> !n.equals("v.blk.1.ffn_gate.weight"));
        assertThatThrownBy(() -> Mmproj.load(noGate)).isInstanceOf(MmprojFormatException.class)
                .hasMessageContaining("missing tensor v.blk.1.ffn_gate.weight").hasMessageContaining("gemma4v");
        Path noNorm = dir.resolve("no-norm.gguf");
        VisionFixtures.rewrite(unified, noNorm, m -> { }, n -> !n.equals("v.patch_norm.3.bias"));
        assertThatThrownBy(() -> Mmproj.load(noNorm)).isInstanceOf(MmprojFormatException.class)
                .hasMessageContaining("missing tensor v.patch_norm.3.bias").hasMessageContaining("gemma4uv");
        Path wide = dir.resolve("wide.gguf");
        VisionFixtures.rewrite(tower, wide, m -> m.put(ClipKeys.EMBEDDING_LENGTH, new GgufValue.Integer(io.tessera.pipeline.gguf.GgufValueType.UINT32, 96)), n -> true);
        assertThatThrownBy(() -> Mmproj.load(wide)).isInstanceOf(MmprojFormatException.class)
                .hasMessageContaining("v.blk.0.ln1.weight has shape [64], expected [96]");
        Path biased = dir.resolve("biased.gguf");
        addTensor(tower, biased, "v.blk.0.attn_q.bias", new long[] {64});
        assertThatThrownBy(() -> Mmproj.load(biased)).isInstanceOf(MmprojFormatException.class)
                .hasMessageContaining("v.blk.0.attn_q.bias").hasMessageContaining("no biases");
        Path vectorBound = dir.resolve("vector-bound.gguf");
        addTensor(tower, vectorBound, "v.blk.0.attn_out.input_max", new long[] {2});
        assertThatThrownBy(() -> Mmproj.load(vectorBound)).isInstanceOf(MmprojFormatException.class)
                .hasMessageContaining("v.blk.0.attn_out.input_max").hasMessageContaining("one F32 value");
    }

    @Test
    void imagesMustBeWholeUnitsAndWithinThePositionTables() {
        try (Mmproj m = Mmproj.load(tower);
             Gemma4VisionEncoder e = new Gemma4VisionEncoder(m.gemma4Vision(), m.gemma4VisionWeights(), Device.jvm(),
                     VisionEncoder.Options.batch(1))) {
            assertThatThrownBy(() -> e.encode(List.of(new FloatTensor(new int[] {3, 50, 48}, new float[3 * 50 * 48]))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiples of 48");
            int side = 48 * 27; // 81 patches > 80 positions per axis
            assertThatThrownBy(() -> e.encode(List.of(new FloatTensor(new int[] {3, 48, side}, new float[3 * 48 * side]))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("position");
        }
    }

    /** Copies {@code in} with tensor {@code name} (added, or replacing the one there) of 0.5s. */
    private static void addTensor(Path in, Path out, String name, long[] dims) throws IOException {
        Path tmp = dir.resolve("tmp-" + out.getFileName());
        VisionFixtures.rewrite(in, tmp, m -> { }, n -> true);
        try (var f = io.tessera.pipeline.gguf.GgufFile.open(tmp); Arena a = Arena.ofConfined()) {
            GgufWriter w = new GgufWriter();
            f.metadata().asMap().forEach(w::put);
            for (var t : f.tensors()) {
                if (!t.name().equals(name)) {
                    w.addTensor(t.name(), t.type(), t.dims(), f.data(t));
                }
            }
            long n = 1;
            for (long d : dims) {
                n *= d;
            }
            var s = a.allocate(4 * n);
            for (long i = 0; i < n; i++) {
                s.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, 0.5f);
            }
            w.addTensor(name, GgufTensorType.F32, dims, s);
            w.write(out);
        }
    }
}
