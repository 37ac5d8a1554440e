package io.tessera.pipeline.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufRoundTripTest {
    static byte[] randomBytes(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A writer with metadata of every value type and tensors of the supported types plus one K-quant. */
    static GgufWriter sample(int alignment) {
        return sample(alignment, true);
    }

    /** As {@link #sample(int)}; llama.cpp rejects nested arrays ("invalid GGUF type 9"), so they can be left out. */
    static GgufWriter sample(int alignment, boolean nestedArrays) {
        GgufWriter w = new GgufWriter();
        w.putString(GgufKeys.ARCHITECTURE, "gemma3");
        if (alignment != GgufKeys.DEFAULT_ALIGNMENT) {
            w.putUInt32(GgufKeys.ALIGNMENT, alignment);
        }
        w.put("t.u8", new GgufValue.Integer(GgufValueType.UINT8, 255));
        w.put("t.i8", new GgufValue.Integer(GgufValueType.INT8, -128));
        w.put("t.u16", new GgufValue.Integer(GgufValueType.UINT16, 65535));
        w.put("t.i16", new GgufValue.Integer(GgufValueType.INT16, -32768));
        w.putUInt32("t.u32", 4_000_000_000L);
        w.putInt32("t.i32", -2_000_000_000);
        w.putFloat32("t.f32", 1e-6f);
        w.putBool("t.bool", true);
        w.putString("t.str", "héllo ▁ 🤗");
        w.put("t.u64", new GgufValue.Integer(GgufValueType.UINT64, -1L));
        w.put("t.i64", new GgufValue.Integer(GgufValueType.INT64, Long.MIN_VALUE));
        w.put("t.f64", new GgufValue.Float64(Math.PI));
        w.putStrings("t.arr.str", "a", "", "<0x0A>", "▁▁");
        w.putFloats("t.arr.f32", 0f, -1.5f, Float.MAX_VALUE);
        w.putInts("t.arr.i32", GgufValueType.INT32, 1, -2, 3);
        w.putInts("t.arr.u8", GgufValueType.UINT8, 0, 200, 255);
        w.put("t.arr.bool", new GgufValue.Array(GgufValueType.BOOL, new boolean[] {true, false}));
        w.put("t.arr.f64", new GgufValue.Array(GgufValueType.FLOAT64, new double[] {1e300, -0.0}));
        if (nestedArrays) {
            w.put("t.arr.nested", new GgufValue.Array(GgufValueType.ARRAY, new GgufValue.Array[] {
                GgufValue.Array.ofStrings("x", "y"), GgufValue.Array.ofInts(GgufValueType.UINT16, 7),
                new GgufValue.Array(GgufValueType.ARRAY, new GgufValue.Array[] {GgufValue.Array.ofFloats(2f)})}));
        }
        w.put("t.arr.empty", GgufValue.Array.ofStrings());
        w.addTensor("f32", GgufTensorType.F32, new long[] {3, 5}, randomBytes(1, 60));
        w.addTensor("f16", GgufTensorType.F16, new long[] {7}, randomBytes(2, 14));
        w.addTensor("bf16", GgufTensorType.BF16, new long[] {4, 2, 3}, randomBytes(3, 48));
        w.addTensor("q8_0", GgufTensorType.Q8_0, new long[] {64, 2}, randomBytes(4, 4 * 34));
        w.addTensor("q4_0", GgufTensorType.Q4_0, new long[] {32, 3}, randomBytes(5, 3 * 18));
        w.addTensor("q4_k", GgufTensorType.Q4_K, new long[] {256}, randomBytes(6, 144));
        return w;
    }

    @Test
    void writesAndReadsEveryValueTypeAndTensor(@TempDir Path dir) throws Exception {
        for (int alignment : new int[] {32, 64, 8}) {
            Path file = dir.resolve("sample" + alignment + ".gguf");
            GgufWriter w = sample(alignment);
            w.write(file);
            try (GgufFile g = GgufFile.open(file)) {
                assertThat(g.version()).isEqualTo(3);
                assertThat(g.alignment()).isEqualTo(alignment);
                assertThat(g.dataOffset() % alignment).isZero();
                GgufMetadata m = g.metadata();
                assertThat(m.requireString(GgufKeys.ARCHITECTURE)).isEqualTo("gemma3");
                assertThat(m.requireInteger("t.u8")).isEqualTo(255);
                assertThat(m.requireInteger("t.i8")).isEqualTo(-128);
                assertThat(m.requireInteger("t.u16")).isEqualTo(65535);
                assertThat(m.requireInteger("t.i16")).isEqualTo(-32768);
                assertThat(m.requireInteger("t.u32")).isEqualTo(4_000_000_000L);
                assertThat(m.requireInteger("t.i32")).isEqualTo(-2_000_000_000);
                assertThat(m.number("t.f32")).contains((double) 1e-6f);
                assertThat(m.bool("t.bool")).contains(true);
                assertThat(m.string("t.str")).contains("héllo ▁ 🤗");
                assertThat(m.requireInteger("t.u64")).isEqualTo(-1L);
                assertThat(m.requireInteger("t.i64")).isEqualTo(Long.MIN_VALUE);
                assertThat(m.number("t.f64")).contains(Math.PI);
                assertThat(m.stringArray("t.arr.str")).hasValueSatisfying(a -> assertThat(a).containsExactly("a", "", "<0x0A>", "▁▁"));
                assertThat(m.floatArray("t.arr.f32")).hasValueSatisfying(a -> assertThat(a).containsExactly(0f, -1.5f, Float.MAX_VALUE));
                assertThat(m.intArray("t.arr.i32")).hasValueSatisfying(a -> assertThat(a).containsExactly(1, -2, 3));
                assertThat(m.intArray("t.arr.u8")).hasValueSatisfying(a -> assertThat(a).containsExactly(0, 200, 255));
                // every value, including nested arrays, equals what was written, in order
                assertThat(m.asMap().keySet()).containsExactlyElementsOf(w.metadata().keySet());
                assertThat(m.get("t.arr.nested")).contains(w.metadata().get("t.arr.nested"));
                assertThat(m.get("t.arr.bool")).contains(w.metadata().get("t.arr.bool"));
                assertThat(m.get("t.arr.f64")).contains(w.metadata().get("t.arr.f64"));
                assertThat(g.tensors()).extracting(GgufTensorInfo::name)
                        .containsExactly("f32", "f16", "bf16", "q8_0", "q4_0", "q4_k");
                GgufTensorInfo bf16 = g.tensor("bf16").orElseThrow();
                assertThat(bf16.dims()).containsExactly(4, 2, 3);
                assertThat(bf16.type()).isEqualTo(GgufTensorType.BF16);
                for (GgufTensorInfo t : g.tensors()) {
                    assertThat(t.offset() % alignment).isZero();
                }
                assertThat(g.requireData("f32").toArray(ValueLayout.JAVA_BYTE)).isEqualTo(randomBytes(1, 60));
                assertThat(g.requireData("q8_0").toArray(ValueLayout.JAVA_BYTE)).isEqualTo(randomBytes(4, 136));
                assertThat(g.requireData("q4_0").toArray(ValueLayout.JAVA_BYTE)).isEqualTo(randomBytes(5, 54));
                MemorySegment view = g.data(g.tensor("f16").orElseThrow());
                assertThat(view.isNative()).as("tensor data is a view of the mapping, not a heap copy").isTrue();
                assertThat(g.data(g.tensor("q4_k").orElseThrow()).byteSize()).isEqualTo(144);
                assertThatThrownBy(() -> g.requireData("q4_k")).isInstanceOf(GgufFormatException.class)
                        .hasMessageContaining("unsupported tensor type Q4_K for tensor q4_k");
                assertThatThrownBy(() -> m.requireInteger("t.str")).isInstanceOf(GgufFormatException.class)
                        .hasMessageContaining("key t.str is a STRING, expected an integer");
            }
        }
    }

    @Test
    void readsVersion2(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("v2.gguf");
        sample(32).write(file);
        byte[] b = Files.readAllBytes(file);
        b[4] = 2;
        Files.write(file, b);
        try (GgufFile g = GgufFile.open(file)) {
            assertThat(g.version()).isEqualTo(2);
            assertThat(g.tensors()).hasSize(6);
        }
    }
}
