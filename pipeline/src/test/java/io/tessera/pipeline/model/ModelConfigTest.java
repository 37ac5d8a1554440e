package io.tessera.pipeline.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tessera.pipeline.gguf.GgufFile;
import io.tessera.pipeline.gguf.GgufKeys;
import io.tessera.pipeline.gguf.GgufWriter;

/** Families as data: what each architecture's keys mean, per spec/MODELS.md §1.4 and §1.6. */
class ModelConfigTest {
    @TempDir
    Path dir;

    ModelConfig read(String arch, int layers, int hidden, int heads, int headDim, Integer window, Float factor,
                     Float finalCap) throws IOException {
        GgufWriter w = new GgufWriter().putString(GgufKeys.ARCHITECTURE, arch)
                .putUInt32(GgufKeys.contextLength(arch), 1024).putUInt32(GgufKeys.embeddingLength(arch), hidden)
                .putUInt32(GgufKeys.blockCount(arch), layers).putUInt32(GgufKeys.feedForwardLength(arch), 4 * hidden)
                .putUInt32(GgufKeys.headCount(arch), heads).putUInt32(GgufKeys.headCountKv(arch), 1)
                .putUInt32(GgufKeys.keyLength(arch), headDim).putUInt32(GgufKeys.valueLength(arch), headDim)
                .putFloat32(GgufKeys.rmsNormEpsilon(arch), 1e-6f).putFloat32(GgufKeys.ropeFreqBase(arch), 1e6f);
        if (window != null) {
            w.putUInt32(GgufKeys.slidingWindow(arch), window);
        }
        if (factor != null) {
            w.putString(GgufKeys.ropeScalingType(arch), "linear").putFloat32(GgufKeys.ropeScalingFactor(arch), factor);
        }
        if (finalCap != null) {
            w.putFloat32(GgufKeys.finalLogitSoftcapping(arch), finalCap);
        }
        Path p = dir.resolve(arch + layers + ".gguf");
        w.write(p);
        try (GgufFile f = GgufFile.open(p)) {
            return ModelConfig.fromGguf(p.toString(), f.metadata(), 1000);
        }
    }

    @Test
    void gemma3HasFiveLocalLayersThenAGlobalOneWithItsOwnRope() throws IOException {
        ModelConfig c = read("gemma3", 12, 256, 4, 64, 512, 8f, 30f);
        for (int i = 0; i < 12; i++) {
            boolean global = (i + 1) % 6 == 0;
            assertThat(c.layer(i).local()).as("layer %d", i).isEqualTo(!global);
            assertThat(c.layer(i).window()).isEqualTo(global ? 0 : 512);
            assertThat(c.layer(i).ropeBase()).isEqualTo(global ? 1e6f : 10_000f);
            assertThat(c.layer(i).ropeFactor()).isEqualTo(global ? 8f : 1f);
        }
        assertThat(c.qkNorm()).isTrue();
        assertThat(c.postNorms()).isTrue();
        assertThat(c.attentionSoftcap()).isZero();
        // llama.cpp's sliding-window Gemma 3 graph never applies the final soft cap
        assertThat(c.finalSoftcap()).isZero();
        assertThat(c.attentionScale()).isEqualTo((float) (1 / Math.sqrt(64)));
        assertThat(c.embeddingScale()).isEqualTo((float) Math.sqrt(256));
        assertThat(c.kvDim()).isEqualTo(64);
        assertThat(c.qDim()).isEqualTo(256);
        assertThat(c.groupSize()).isEqualTo(4);
    }

    @Test
    void gemma3WithoutWindowIsAllGlobalAndKeepsItsFinalSoftcap() throws IOException {
        ModelConfig c = read("gemma3", 6, 256, 4, 64, null, null, 30f);
        assertThat(c.layers()).noneMatch(LayerConfig::local);
        assertThat(c.layers()).allMatch(l -> l.ropeBase() == 1e6f);
        assertThat(c.finalSoftcap()).isEqualTo(30f);
    }

    @Test
    void gemma3At62LayersScalesQueriesByHiddenOverHeads() throws IOException {
        ModelConfig c = read("gemma3", 62, 5376, 32, 128, 1024, null, null);
        assertThat(c.attentionScale()).isEqualTo((float) (1 / Math.sqrt(5376 / 32)));
    }

    @Test
    void gemma2AlternatesFromALocalLayer0AndDefaultsItsSoftcaps() throws IOException {
        ModelConfig c = read("gemma2", 4, 256, 4, 64, null, null, null);
        assertThat(c.layers()).extracting(LayerConfig::local).containsExactly(true, false, true, false);
        assertThat(c.layer(0).window()).isEqualTo(4096);
        assertThat(c.layers()).allMatch(l -> l.ropeBase() == 1e6f);
        assertThat(c.attentionSoftcap()).isEqualTo(50f);
        assertThat(c.finalSoftcap()).isEqualTo(30f);
        assertThat(c.qkNorm()).isFalse();
    }

    @Test
    void gemmaIsAllGlobalWithoutPostNormsOrSoftcaps() throws IOException {
        ModelConfig c = read("gemma", 3, 256, 4, 64, null, null, null);
        assertThat(c.layers()).noneMatch(LayerConfig::local);
        assertThat(c.postNorms()).isFalse();
        assertThat(c.qkNorm()).isFalse();
        assertThat(c.finalSoftcap()).isZero();
        assertThat(c.attentionSoftcap()).isZero();
    }

    @Test
    void attentionScaleCanBeOverridden() throws IOException {
        ModelConfig c = read("gemma3", 6, 256, 4, 64, 512, null, null).withAttentionScale(0.125f);
        assertThat(c.attentionScale()).isEqualTo(0.125f);
    }
}
