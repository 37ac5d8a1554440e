package io.tessera.pipeline.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * llama.cpp's own GGUF reader ({@code gguf_init_from_file} in the libggml-base.so that
 * {@code @node-llama-cpp/linux-x64} ships, called through FFM) reads a file our writer wrote and
 * reports the same keys, types, values, tensors, offsets and sizes as our reader.
 */
@Tag("reference")
@SuppressWarnings("restricted") // FFM downcalls into llama.cpp's library are the point of this test
class LlamaCppGgufTest {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final ValueLayout.OfLong SIZE_T = ValueLayout.JAVA_LONG;

    private static MethodHandle fn(SymbolLookup lib, String name, FunctionDescriptor d) {
        return LINKER.downcallHandle(lib.find(name).orElseThrow(() -> new IllegalStateException("no symbol " + name)), d);
    }

    @Test
    void llamaCppReadsWhatWeWrite() throws Throwable {
        Path lib = NpmReferences.llamaCppLibraries().resolve("libggml-base.so");
        Path file = Path.of("target/llama-cpp-check.gguf");
        GgufWriter w = GgufRoundTripTest.sample(64, false);
        w.write(file);
        List<String> report = new ArrayList<>();
        try (Arena arena = Arena.ofConfined(); GgufFile ours = GgufFile.open(file)) {
            SymbolLookup ggml = SymbolLookup.libraryLookup(lib, arena);
            var ptr = ValueLayout.ADDRESS;
            var i64 = ValueLayout.JAVA_LONG;
            var i32 = ValueLayout.JAVA_INT;
            MemoryLayout params = MemoryLayout.structLayout(ValueLayout.JAVA_BOOLEAN, MemoryLayout.paddingLayout(7), ptr);
            MethodHandle init = fn(ggml, "gguf_init_from_file", FunctionDescriptor.of(ptr, ptr, params));
            MethodHandle free = fn(ggml, "gguf_free", FunctionDescriptor.ofVoid(ptr));
            MethodHandle ggmlFree = fn(ggml, "ggml_free", FunctionDescriptor.ofVoid(ptr));
            MethodHandle version = fn(ggml, "gguf_get_version", FunctionDescriptor.of(i32, ptr));
            MethodHandle alignment = fn(ggml, "gguf_get_alignment", FunctionDescriptor.of(SIZE_T, ptr));
            MethodHandle dataOffset = fn(ggml, "gguf_get_data_offset", FunctionDescriptor.of(SIZE_T, ptr));
            MethodHandle nKv = fn(ggml, "gguf_get_n_kv", FunctionDescriptor.of(i64, ptr));
            MethodHandle key = fn(ggml, "gguf_get_key", FunctionDescriptor.of(ptr, ptr, i64));
            MethodHandle kvType = fn(ggml, "gguf_get_kv_type", FunctionDescriptor.of(i32, ptr, i64));
            MethodHandle arrType = fn(ggml, "gguf_get_arr_type", FunctionDescriptor.of(i32, ptr, i64));
            MethodHandle arrN = fn(ggml, "gguf_get_arr_n", FunctionDescriptor.of(SIZE_T, ptr, i64));
            MethodHandle arrStr = fn(ggml, "gguf_get_arr_str", FunctionDescriptor.of(ptr, ptr, i64, SIZE_T));
            MethodHandle arrData = fn(ggml, "gguf_get_arr_data", FunctionDescriptor.of(ptr, ptr, i64));
            MethodHandle valData = fn(ggml, "gguf_get_val_data", FunctionDescriptor.of(ptr, ptr, i64));
            MethodHandle valStr = fn(ggml, "gguf_get_val_str", FunctionDescriptor.of(ptr, ptr, i64));
            MethodHandle nTensors = fn(ggml, "gguf_get_n_tensors", FunctionDescriptor.of(i64, ptr));
            MethodHandle tName = fn(ggml, "gguf_get_tensor_name", FunctionDescriptor.of(ptr, ptr, i64));
            MethodHandle tOffset = fn(ggml, "gguf_get_tensor_offset", FunctionDescriptor.of(SIZE_T, ptr, i64));
            MethodHandle tType = fn(ggml, "gguf_get_tensor_type", FunctionDescriptor.of(i32, ptr, i64));
            MethodHandle tSize = fn(ggml, "gguf_get_tensor_size", FunctionDescriptor.of(SIZE_T, ptr, i64));
            MethodHandle getTensor = fn(ggml, "ggml_get_tensor", FunctionDescriptor.of(ptr, ptr, ptr));

            MemorySegment p = arena.allocate(params);
            MemorySegment ctxOut = arena.allocate(ptr);
            p.set(ValueLayout.JAVA_BOOLEAN, 0, true);
            p.set(ptr, 8, ctxOut);
            MemorySegment gguf = (MemorySegment) init.invokeExact(arena.allocateFrom(file.toString()), p);
            assertThat(gguf.address()).as("gguf_init_from_file accepted the file").isNotZero();
            MemorySegment ggmlCtx = ctxOut.get(ptr, 0);
            try {
                assertThat((int) version.invokeExact(gguf)).isEqualTo(ours.version());
                assertThat((long) alignment.invokeExact(gguf)).isEqualTo(ours.alignment());
                assertThat((long) dataOffset.invokeExact(gguf)).isEqualTo(ours.dataOffset());
                List<String> keys = new ArrayList<>(ours.metadata().keys());
                assertThat((long) nKv.invokeExact(gguf)).isEqualTo(keys.size());
                for (int i = 0; i < keys.size(); i++) {
                    String k = ((MemorySegment) key.invokeExact(gguf, (long) i)).reinterpret(1 << 16).getString(0);
                    assertThat(k).isEqualTo(keys.get(i));
                    GgufValue v = ours.metadata().get(k).orElseThrow();
                    int type = (int) kvType.invokeExact(gguf, (long) i);
                    assertThat(type).as("type of %s", k).isEqualTo(v.type().code());
                    switch (v) {
                        case GgufValue.Str s -> assertThat(((MemorySegment) valStr.invokeExact(gguf, (long) i))
                                .reinterpret(1 << 16).getString(0)).isEqualTo(s.value());
                        case GgufValue.Array a -> {
                            assertThat((int) arrType.invokeExact(gguf, (long) i)).isEqualTo(a.elementType().code());
                            assertThat((long) arrN.invokeExact(gguf, (long) i)).isEqualTo(a.length());
                            if (a.elements() instanceof String[] strings) {
                                for (int j = 0; j < strings.length; j++) {
                                    assertThat(((MemorySegment) arrStr.invokeExact(gguf, (long) i, (long) j))
                                            .reinterpret(1 << 16).getString(0)).isEqualTo(strings[j]);
                                }
                            } else if (a.elements() instanceof float[] f) {
                                MemorySegment d = ((MemorySegment) arrData.invokeExact(gguf, (long) i)).reinterpret(4L * f.length);
                                assertThat(d.toArray(ValueLayout.JAVA_FLOAT)).containsExactly(f);
                            }
                        }
                        case GgufValue.Integer n -> {
                            MemorySegment d = ((MemorySegment) valData.invokeExact(gguf, (long) i)).reinterpret(8);
                            long got = switch (n.type()) {
                                case UINT8 -> d.get(ValueLayout.JAVA_BYTE, 0) & 0xFFL;
                                case INT8 -> d.get(ValueLayout.JAVA_BYTE, 0);
                                case UINT16 -> d.get(ValueLayout.JAVA_SHORT, 0) & 0xFFFFL;
                                case INT16 -> d.get(ValueLayout.JAVA_SHORT, 0);
                                case UINT32 -> d.get(ValueLayout.JAVA_INT, 0) & 0xFFFF_FFFFL;
                                case INT32 -> d.get(ValueLayout.JAVA_INT, 0);
                                default -> d.get(ValueLayout.JAVA_LONG, 0);
                            };
                            assertThat(got).as("value of %s", k).isEqualTo(n.value());
                        }
                        case GgufValue.Float32 f -> assertThat(((MemorySegment) valData.invokeExact(gguf, (long) i))
                                .reinterpret(4).get(ValueLayout.JAVA_FLOAT, 0)).isEqualTo(f.value());
                        case GgufValue.Float64 f -> assertThat(((MemorySegment) valData.invokeExact(gguf, (long) i))
                                .reinterpret(8).get(ValueLayout.JAVA_DOUBLE, 0)).isEqualTo(f.value());
                        case GgufValue.Bool b -> assertThat(((MemorySegment) valData.invokeExact(gguf, (long) i))
                                .reinterpret(1).get(ValueLayout.JAVA_BOOLEAN, 0)).isEqualTo(b.value());
                    }
                    report.add(k);
                }
                List<GgufTensorInfo> tensors = ours.tensors();
                assertThat((long) nTensors.invokeExact(gguf)).isEqualTo(tensors.size());
                for (int i = 0; i < tensors.size(); i++) {
                    GgufTensorInfo t = tensors.get(i);
                    String name = ((MemorySegment) tName.invokeExact(gguf, (long) i)).reinterpret(1 << 16).getString(0);
                    assertThat(name).isEqualTo(t.name());
                    assertThat((int) tType.invokeExact(gguf, (long) i)).isEqualTo(t.type().code());
                    assertThat((long) tOffset.invokeExact(gguf, (long) i)).isEqualTo(t.offset());
                    assertThat((long) tSize.invokeExact(gguf, (long) i)).isEqualTo(t.byteSize());
                    MemorySegment tensor = ((MemorySegment) getTensor.invokeExact(ggmlCtx, arena.allocateFrom(name)))
                            .reinterpret(64);
                    // struct ggml_tensor { enum ggml_type type; ggml_backend_buffer * buffer; int64_t ne[4]; ... }
                    long[] ne = tensor.asSlice(16, 32).toArray(ValueLayout.JAVA_LONG);
                    long[] expected = {1, 1, 1, 1};
                    System.arraycopy(t.dims(), 0, expected, 0, t.rank());
                    assertThat(ne).as("ne of %s", name).containsExactly(expected);
                }
            } finally {
                ggmlFree.invokeExact(ggmlCtx);
                free.invokeExact(gguf);
            }
        }
        System.out.printf("llama.cpp gguf_init_from_file agreed on %d keys and all tensors%n", report.size());
    }
}
