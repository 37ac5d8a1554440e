package io.tessera.pipeline.gguf;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes GGUF version 3 files: metadata of every value type and tensors, each tensor's data at an
 * offset aligned to {@code general.alignment} (default 32) and padded to it, as llama.cpp's
 * {@code gguf_write_to_file} and gguf-py do.
 */
public final class GgufWriter {
    private record Tensor(String name, GgufTensorType type, long[] dims, MemorySegment data) {
    }

    private final Map<String, GgufValue> metadata = new LinkedHashMap<>();
    private final List<Tensor> tensors = new ArrayList<>();

    public GgufWriter put(String key, GgufValue value) {
        if (metadata.containsKey(key)) {
            throw new IllegalArgumentException("key " + key + " is already set");
        }
        metadata.put(key, value);
        return this;
    }

    /** The metadata set so far, in write order. */
    public Map<String, GgufValue> metadata() {
        return java.util.Collections.unmodifiableMap(metadata);
    }

    public GgufWriter putString(String key, String value) {
        return put(key, new GgufValue.Str(value));
    }

    public GgufWriter putUInt32(String key, long value) {
        return put(key, GgufValue.uint32(value));
    }

    public GgufWriter putInt32(String key, int value) {
        return put(key, GgufValue.int32(value));
    }

    public GgufWriter putFloat32(String key, float value) {
        return put(key, new GgufValue.Float32(value));
    }

    public GgufWriter putBool(String key, boolean value) {
        return put(key, new GgufValue.Bool(value));
    }

    public GgufWriter putStrings(String key, String... values) {
        return put(key, GgufValue.Array.ofStrings(values));
    }

    public GgufWriter putFloats(String key, float... values) {
        return put(key, GgufValue.Array.ofFloats(values));
    }

    public GgufWriter putInts(String key, GgufValueType type, long... values) {
        return put(key, GgufValue.Array.ofInts(type, values));
    }

    /** Adds a tensor; {@code dims} in ggml order (innermost first); {@code data} exactly its bytes. */
    public GgufWriter addTensor(String name, GgufTensorType type, long[] dims, MemorySegment data) {
        long elements = 1;
        for (long d : dims) {
            elements = Math.multiplyExact(elements, d);
        }
        long bytes = type.byteSize(elements);
        if (data.byteSize() != bytes) {
            throw new IllegalArgumentException("tensor " + name + " " + type + " " + java.util.Arrays.toString(dims)
                    + " takes " + bytes + " bytes, the data has " + data.byteSize());
        }
        for (Tensor t : tensors) {
            if (t.name.equals(name)) {
                throw new IllegalArgumentException("tensor " + name + " is already added");
            }
        }
        tensors.add(new Tensor(name, type, dims.clone(), data));
        return this;
    }

    public GgufWriter addTensor(String name, GgufTensorType type, long[] dims, byte[] data) {
        return addTensor(name, type, dims, MemorySegment.ofArray(data));
    }

    private int alignment() {
        GgufValue a = metadata.get(GgufKeys.ALIGNMENT);
        if (a == null) {
            return GgufKeys.DEFAULT_ALIGNMENT;
        }
        if (a instanceof GgufValue.Integer i && i.type() == GgufValueType.UINT32 && Long.bitCount(i.value()) == 1) {
            return (int) i.value();
        }
        throw new IllegalArgumentException(GgufKeys.ALIGNMENT + " must be a UINT32 power of two");
    }

    public void write(Path path) throws IOException {
        int alignment = alignment();
        Buf header = new Buf();
        header.bytes("GGUF".getBytes(StandardCharsets.US_ASCII));
        header.u32(3);
        header.u64(tensors.size());
        header.u64(metadata.size());
        for (Map.Entry<String, GgufValue> e : metadata.entrySet()) {
            header.string(e.getKey());
            header.u32(e.getValue().type().code());
            value(header, e.getValue());
        }
        long offset = 0;
        List<Long> offsets = new ArrayList<>();
        for (Tensor t : tensors) {
            header.string(t.name);
            header.u32(t.dims.length);
            for (long d : t.dims) {
                header.u64(d);
            }
            header.u32(t.type.code());
            header.u64(offset);
            offsets.add(offset);
            offset += pad(t.data.byteSize(), alignment);
        }
        if (!tensors.isEmpty()) {
            header.zeros((int) (pad(header.size(), alignment) - header.size()));
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(ch, header.buffer());
            for (Tensor t : tensors) {
                // a ByteBuffer holds at most 2 GiB; larger tensors (Gemma 4's per-layer embedding) go in slices
                long size = t.data.byteSize();
                for (long at = 0; at < size; at += 1L << 30) {
                    writeFully(ch, t.data.asSlice(at, Math.min(1L << 30, size - at)).asByteBuffer());
                }
                long padding = pad(t.data.byteSize(), alignment) - t.data.byteSize();
                writeFully(ch, ByteBuffer.allocate((int) padding));
            }
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static long pad(long n, int alignment) {
        return (n + alignment - 1) / alignment * alignment;
    }

    private static void value(Buf out, GgufValue v) {
        switch (v) {
            case GgufValue.Integer i -> scalarInteger(out, i.type(), i.value());
            case GgufValue.Float32 f -> out.u32(Float.floatToRawIntBits(f.value()));
            case GgufValue.Float64 f -> out.u64(Double.doubleToRawLongBits(f.value()));
            case GgufValue.Bool b -> out.u8(b.value() ? 1 : 0);
            case GgufValue.Str s -> out.string(s.value());
            case GgufValue.Array a -> array(out, a);
        }
    }

    private static void array(Buf out, GgufValue.Array a) {
        out.u32(a.elementType().code());
        out.u64(a.length());
        switch (a.elements()) {
            case long[] l -> {
                for (long x : l) {
                    scalarInteger(out, a.elementType(), x);
                }
            }
            case float[] f -> {
                for (float x : f) {
                    out.u32(Float.floatToRawIntBits(x));
                }
            }
            case double[] d -> {
                for (double x : d) {
                    out.u64(Double.doubleToRawLongBits(x));
                }
            }
            case boolean[] b -> {
                for (boolean x : b) {
                    out.u8(x ? 1 : 0);
                }
            }
            case String[] s -> {
                for (String x : s) {
                    out.string(x);
                }
            }
            case GgufValue.Array[] nested -> {
                for (GgufValue.Array x : nested) {
                    array(out, x);
                }
            }
            default -> throw new IllegalStateException("array elements " + a.elements().getClass());
        }
    }

    private static void scalarInteger(Buf out, GgufValueType type, long v) {
        switch (type) {
            case UINT8, INT8 -> out.u8((int) v);
            case UINT16, INT16 -> out.u16((int) v);
            case UINT32, INT32 -> out.u32((int) v);
            case UINT64, INT64 -> out.u64(v);
            default -> throw new IllegalArgumentException(type + " is not an integer type");
        }
    }

    /** A growable little-endian byte buffer. */
    private static final class Buf {
        private ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

        private void ensure(int n) {
            if (b.remaining() < n) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + n))
                        .order(ByteOrder.LITTLE_ENDIAN);
                b.flip();
                bigger.put(b);
                b = bigger;
            }
        }

        int size() {
            return b.position();
        }

        void u8(int v) {
            ensure(1);
            b.put((byte) v);
        }

        void u16(int v) {
            ensure(2);
            b.putShort((short) v);
        }

        void u32(int v) {
            ensure(4);
            b.putInt(v);
        }

        void u64(long v) {
            ensure(8);
            b.putLong(v);
        }

        void bytes(byte[] v) {
            ensure(v.length);
            b.put(v);
        }

        void zeros(int n) {
            ensure(n);
            b.put(new byte[n]);
        }

        void string(String s) {
            byte[] v = s.getBytes(StandardCharsets.UTF_8);
            u64(v.length);
            bytes(v);
        }

        ByteBuffer buffer() {
            ByteBuffer out = b.duplicate();
            out.flip();
            return out;
        }
    }
}
