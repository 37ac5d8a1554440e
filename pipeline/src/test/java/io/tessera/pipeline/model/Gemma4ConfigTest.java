package io.tessera.pipeline.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tessera.pipeline.gguf.GgufFile;
import io.tessera.pipeline.gguf.GgufKeys;
import io.tessera.pipeline.gguf.GgufValue;
import io.tessera.pipeline.gguf.GgufValueType;
import io.tessera.pipeline.gguf.GgufWriter;

/**
 * The gemma4 keys as llama.cpp's loader reads them (src/models/gemma4.cpp load_arch_hparams,
 * llama-model.cpp's generic keys and its KV reuse rule), and bad values named in typed errors.
 */
class Gemma4ConfigTest {
    @TempDir
    Path dir;

    /** An E2B-like header; {@code key} is the sliding_window_pattern written. */
    GgufWriter header(int layers, int shared, boolean[] pattern, boolean[] key) {
        String a = "gemma4";
        long[] kv = new long[layers];
        for (int i = 0; i < layers; i++) {
            kv[i] = pattern[i] ? 1 : 2;
        }
        return new GgufWriter().putString(GgufKeys.ARCHITECTURE, a)
                .putUInt32(GgufKeys.contextLength(a), 1024).putUInt32(GgufKeys.embeddingLength(a), 256)
                .putUInt32(GgufKeys.blockCount(a), layers).putUInt32(GgufKeys.feedForwardLength(a), 1024)
                .putUInt32(GgufKeys.headCount(a), 4).putInts(GgufKeys.headCountKv(a), GgufValueType.INT32, kv)
                .putUInt32(GgufKeys.keyLength(a), 128).putUInt32(GgufKeys.valueLength(a), 128)
                .putUInt32(GgufKeys.keyLengthSwa(a), 64).putUInt32(GgufKeys.valueLengthSwa(a), 64)
                .putUInt32(GgufKeys.ropeDimensionCount(a), 128).putUInt32(GgufKeys.ropeDimensionCountSwa(a), 64)
                .putFloat32(GgufKeys.rmsNormEpsilon(a), 1e-6f).putFloat32(GgufKeys.ropeFreqBase(a), 1e6f)
                .putUInt32(GgufKeys.slidingWindow(a), 512)
                .put(GgufKeys.slidingWindowPattern(a), new GgufValue.Array(GgufValueType.BOOL, key))
                .putUInt32(GgufKeys.sharedKvLayers(a), shared)
                .putUInt32(GgufKeys.embeddingLengthPerLayerInput(a), 32);
    }

    static boolean[] pattern(int layers, int period) {
        boolean[] p = new boolean[layers];
        for (int i = 0; i < layers; i++) {
            p[i] = i % period != period - 1;
        }
        return p;
    }

    ModelConfig read(GgufWriter w) throws IOException {
        Path p = dir.resolve("g4.gguf");
        w.write(p);
        try (GgufFile f = GgufFile.open(p)) {
            return ModelConfig.fromGguf(p.toString(), f.metadata(), 1000);
        }
    }

    @Test
    void layersTakeTheirHeadLayoutWindowRopeAndKvSourceFromTheKeys() throws IOException {
        // 15 layers, global at 4, 9, 14; the last 5 read the caches of layers 8 (sliding) and 9 (global)
        ModelConfig c = read(header(15, 5, pattern(15, 5), pattern(15, 5)));
        assertThat(c.architecture()).isEqualTo(Architecture.GEMMA4);
        assertThat(c.attentionScale()).isEqualTo(1f);
        assertThat(c.finalSoftcap()).isEqualTo(30f);
        assertThat(c.perLayerInput()).isEqualTo(32);
        for (int i = 0; i < 15; i++) {
            LayerConfig l = c.layer(i);
            boolean global = i % 5 == 4;
            assertThat(l.local()).as("layer %d", i).isEqualTo(!global);
            assertThat(l.window()).isEqualTo(global ? 0 : 512);
            assertThat(l.headDim()).isEqualTo(global ? 128 : 64);
            assertThat(l.kvHeads()).isEqualTo(global ? 2 : 1);
            assertThat(l.rotaryDims()).isEqualTo(global ? 128 : 64);
            assertThat(l.ropeBase()).isEqualTo(global ? 1e6f : 10_000f);
            // llama.cpp: n_layer_kv_from_start - 2 for sliding layers, - 1 for global ones
            int source = i < 10 ? i : global ? 9 : 8;
            assertThat(l.kvLayer()).as("kv source of layer %d", i).isEqualTo(source);
        }
        assertThat(c.maxQDim()).isEqualTo(4 * 128);
        assertThat(c.maxKvDim()).isEqualTo(2 * 128);
    }

    @Test
    void badLayoutsAreTypedErrors() {
        // 8 of 9 layers shared: fewer than two keep a cache
        assertThatThrownBy(() -> read(header(9, 8, pattern(9, 5), pattern(9, 5))))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("shared_kv_layers");
        // a sliding-window pattern of the wrong length
        assertThatThrownBy(() -> read(header(10, 0, pattern(10, 5), new boolean[3])))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("sliding_window_pattern");
        // sharing that would pair a sliding layer with a global layer's cache (layer 4 is global)
        assertThatThrownBy(() -> read(header(10, 4, pattern(10, 5), pattern(10, 5))))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("cannot share");
    }
}
