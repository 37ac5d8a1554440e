package io.tessera.pipeline.gguf;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A GGUF file (versions 2 and 3, little-endian), memory-mapped: the header is parsed with every
 * count, length, offset and size checked against the file length before use, and tensor data are
 * {@link MemorySegment} views of the mapping, never copied onto the heap. Closing the file unmaps it.
 *
 * <p>Layout (llama.cpp {@code gguf.h}): magic "GGUF", u32 version, u64 tensor count, u64 key/value
 * count, the key/values, the tensor infos (name, u32 rank, u64 dims, u32 type, u64 offset), padding
 * to {@code general.alignment} (default 32), then the data section, each tensor at an aligned offset.
 */
public final class GgufFile implements AutoCloseable {
    /** Most elements one metadata array may have; real vocabularies have well under a million. */
    static final int MAX_ARRAY_ELEMENTS = 1 << 24;
    /** Most array elements all the metadata together may have, so hostile headers cannot exhaust the heap. */
    static final long MAX_TOTAL_ELEMENTS = 1L << 25;
    /** Deepest nesting of arrays accepted. */
    static final int MAX_ARRAY_DEPTH = 8;
    /** ggml's GGML_MAX_DIMS. */
    static final int MAX_DIMS = 4;

    private final Path path;
    private final Arena arena;
    private final MemorySegment mapping;
    private final int version;
    private final GgufMetadata metadata;
    private final List<GgufTensorInfo> tensors;
    private final Map<String, GgufTensorInfo> byName;
    private final int alignment;
    private final long dataOffset;

    private GgufFile(Path path, Arena arena, MemorySegment mapping, Parser p) {
        this.path = path;
        this.arena = arena;
        this.mapping = mapping;
        this.version = p.version;
        this.metadata = p.metadata;
        this.tensors = Collections.unmodifiableList(p.tensors);
        this.byName = p.byName;
        this.alignment = p.alignment;
        this.dataOffset = p.dataOffset;
    }

    /** Opens and validates a GGUF file. */
    public static GgufFile open(Path path) {
        String name = path.toString();
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            MemorySegment mapping = size == 0 ? MemorySegment.ofArray(new byte[0])
                    : ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            Parser p = new Parser(name, mapping);
            p.parse();
            return new GgufFile(path, arena, mapping, p);
        } catch (IOException e) {
            arena.close();
            throw new GgufFormatException(name, 0, "cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    public int version() {
        return version;
    }

    public GgufMetadata metadata() {
        return metadata;
    }

    public List<GgufTensorInfo> tensors() {
        return tensors;
    }

    public Optional<GgufTensorInfo> tensor(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public int alignment() {
        return alignment;
    }

    /** Absolute file offset of the data section. */
    public long dataOffset() {
        return dataOffset;
    }

    /** The tensor's bytes, a view of the mapping (valid until {@link #close()}). */
    public MemorySegment data(GgufTensorInfo tensor) {
        if (byName.get(tensor.name()) != tensor && !tensor.equals(byName.get(tensor.name()))) {
            throw new IllegalArgumentException("tensor " + tensor.name() + " is not in " + path);
        }
        return mapping.asSlice(dataOffset + tensor.offset(), tensor.byteSize());
    }

    /**
     * The named tensor's bytes, for computing: fails when the tensor is missing or of a type the
     * engine does not compute with ("unsupported tensor type Q4_K for tensor blk.0.attn_q.weight").
     */
    public MemorySegment requireData(String name) {
        GgufTensorInfo t = tensor(name).orElseThrow(() -> new GgufFormatException(path.toString(), dataOffset,
                "missing tensor " + name));
        if (!t.type().supported()) {
            throw new GgufFormatException(path.toString(), dataOffset + t.offset(),
                    "unsupported tensor type " + t.type() + " for tensor " + name);
        }
        return data(t);
    }

    @Override
    public void close() {
        arena.close();
    }

    /** The bounds-checked header parser. */
    private static final class Parser {
        private final String file;
        private final MemorySegment seg;
        private final long size;
        private long pos;
        private long totalElements;
        int version;
        GgufMetadata metadata;
        final List<GgufTensorInfo> tensors = new ArrayList<>();
        final Map<String, GgufTensorInfo> byName = new HashMap<>();
        /** File offset of each tensor's info entry, where errors about its data are reported. */
        private final Map<String, Long> infoOffsets = new HashMap<>();
        int alignment = GgufKeys.DEFAULT_ALIGNMENT;
        long dataOffset;

        Parser(String file, MemorySegment seg) {
            this.file = file;
            this.seg = seg;
            this.size = seg.byteSize();
        }

        private GgufFormatException error(long at, String problem) {
            return new GgufFormatException(file, at, problem);
        }

        private void need(long bytes, String what) {
            if (bytes < 0 || bytes > size - pos) {
                throw error(pos, "truncated: " + what + " needs " + bytes + " bytes, the file has "
                        + (size - pos) + " left (file length " + size + ")");
            }
        }

        private int u8(String what) {
            need(1, what);
            return seg.get(GgufLayouts.U8, pos++) & 0xFF;
        }

        private int u16(String what) {
            need(2, what);
            short v = seg.get(GgufLayouts.U16, pos);
            pos += 2;
            return v;
        }

        private int u32(String what) {
            need(4, what);
            int v = seg.get(GgufLayouts.U32, pos);
            pos += 4;
            return v;
        }

        private long u64(String what) {
            need(8, what);
            long v = seg.get(GgufLayouts.U64, pos);
            pos += 8;
            return v;
        }

        /** A u64 count that must be at most {@code limit} and fit, {@code minBytes} each, in the rest of the file. */
        private long count(String what, long minBytes, long limit) {
            long at = pos;
            long n = u64(what);
            if (n < 0 || n > limit) {
                throw error(at, what + " " + Long.toUnsignedString(n) + " exceeds the limit of " + limit);
            }
            if (minBytes > 0 && n > (size - pos) / minBytes) {
                throw error(at, what + " " + n + " cannot fit in the " + (size - pos)
                        + " bytes left (each takes at least " + minBytes + ")");
            }
            return n;
        }

        private String string(String what) {
            long at = pos;
            long len = u64(what + " length");
            if (len < 0 || len > size - pos) {
                throw error(at, what + " length " + Long.toUnsignedString(len) + " runs past the end of the file ("
                        + (size - pos) + " bytes left)");
            }
            if (len > Integer.MAX_VALUE - 16) {
                throw error(at, what + " length " + len + " is too large");
            }
            byte[] b = seg.asSlice(pos, len).toArray(GgufLayouts.U8);
            pos += len;
            return new String(b, java.nio.charset.StandardCharsets.UTF_8);
        }

        void parse() {
            need(4, "magic");
            if (seg.get(GgufLayouts.U8, 0) != 'G' || seg.get(GgufLayouts.U8, 1) != 'G'
                    || seg.get(GgufLayouts.U8, 2) != 'U' || seg.get(GgufLayouts.U8, 3) != 'F') {
                throw error(0, "not a GGUF file (no GGUF magic)");
            }
            pos = 4;
            long at = pos;
            version = u32("version");
            if (version == 1) {
                throw error(at, "GGUF version 1 is not supported (only 2 and 3)");
            }
            if (version != 2 && version != 3) {
                if (Integer.reverseBytes(version) == 2 || Integer.reverseBytes(version) == 3) {
                    throw error(at, "big-endian GGUF is not supported");
                }
                throw error(at, "unknown GGUF version " + Integer.toUnsignedString(version));
            }
            // Each tensor info takes at least 8 (name length) + 4 (rank) + 4 (type) + 8 (offset) bytes.
            long tensorCount = count("tensor count", 24, MAX_ARRAY_ELEMENTS);
            // Each key/value takes at least 8 (key length) + 4 (type) + 1 (value) bytes.
            long kvCount = count("key/value count", 13, MAX_ARRAY_ELEMENTS);

            Map<String, GgufValue> values = new LinkedHashMap<>();
            Map<String, Long> offsets = new HashMap<>();
            for (long i = 0; i < kvCount; i++) {
                long kvAt = pos;
                String key = string("key of entry " + i);
                if (values.containsKey(key)) {
                    throw error(kvAt, "duplicate key " + key);
                }
                long typeAt = pos;
                int code = u32("type of key " + key);
                GgufValueType type = GgufValueType.fromCode(Integer.toUnsignedLong(code));
                if (type == null) {
                    throw error(typeAt, "key " + key + " has unknown value type " + Integer.toUnsignedString(code));
                }
                values.put(key, value(type, key, 0));
                offsets.put(key, kvAt);
            }
            metadata = new GgufMetadata(file, values, offsets);
            GgufValue align = values.get(GgufKeys.ALIGNMENT);
            if (align != null) {
                if (!(align instanceof GgufValue.Integer a) || a.type() != GgufValueType.UINT32) {
                    throw error(offsets.get(GgufKeys.ALIGNMENT), GgufKeys.ALIGNMENT + " must be a UINT32");
                }
                long v = a.value();
                if (v == 0 || Long.bitCount(v) != 1 || v > 1 << 30) {
                    throw error(offsets.get(GgufKeys.ALIGNMENT), GgufKeys.ALIGNMENT + " = " + v
                            + " is not a power of two up to 2^30");
                }
                alignment = (int) v;
            }

            for (long i = 0; i < tensorCount; i++) {
                long infoAt = pos;
                String name = string("name of tensor " + i);
                if (byName.containsKey(name)) {
                    throw error(infoAt, "duplicate tensor name " + name);
                }
                long rankAt = pos;
                int rank = u32("rank of tensor " + name);
                if (rank < 0 || rank > MAX_DIMS) {
                    throw error(rankAt, "tensor " + name + " has " + Integer.toUnsignedString(rank)
                            + " dimensions (at most " + MAX_DIMS + ")");
                }
                long[] dims = new long[rank];
                long elements = 1;
                for (int d = 0; d < rank; d++) {
                    long dimAt = pos;
                    dims[d] = u64("dimension " + d + " of tensor " + name);
                    if (dims[d] < 0) {
                        throw error(dimAt, "tensor " + name + " dimension " + d + " = "
                                + Long.toUnsignedString(dims[d]) + " is negative as int64");
                    }
                    try {
                        elements = Math.multiplyExact(elements, dims[d]);
                    } catch (ArithmeticException e) {
                        throw error(dimAt, "tensor " + name + " has more than 2^63 elements");
                    }
                }
                long typeAt = pos;
                int code = u32("type of tensor " + name);
                GgufTensorType type = GgufTensorType.fromCode(Integer.toUnsignedLong(code));
                if (type == null) {
                    throw error(typeAt, "unknown tensor type " + Integer.toUnsignedString(code) + " for tensor " + name);
                }
                if (rank > 0 && dims[0] % type.blockSize() != 0) {
                    throw error(typeAt, "tensor " + name + " of type " + type + " has innermost dimension " + dims[0]
                            + ", not a multiple of the block size " + type.blockSize());
                }
                long offAt = pos;
                long offset = u64("data offset of tensor " + name);
                if (offset < 0 || offset % alignment != 0) {
                    throw error(offAt, "tensor " + name + " data offset " + Long.toUnsignedString(offset)
                            + " is not a multiple of the alignment " + alignment);
                }
                if (elements > Long.MAX_VALUE / type.typeSize()) {
                    throw error(infoAt, "tensor " + name + " is larger than 2^63 bytes");
                }
                GgufTensorInfo t = new GgufTensorInfo(name, dims, type, offset);
                tensors.add(t);
                byName.put(name, t);
                infoOffsets.put(name, infoAt);
            }

            long headerEnd = pos;
            dataOffset = (headerEnd + alignment - 1) / alignment * alignment;
            if (tensors.isEmpty()) {
                return;
            }
            if (dataOffset > size) {
                throw error(headerEnd, "truncated: the data section would start at " + dataOffset
                        + ", past the end of the file (length " + size + ")");
            }
            long dataSize = size - dataOffset;
            List<GgufTensorInfo> byOffset = new ArrayList<>(tensors);
            byOffset.sort(Comparator.comparingLong(GgufTensorInfo::offset));
            long end = 0;
            GgufTensorInfo previous = null;
            for (GgufTensorInfo t : byOffset) {
                long bytes = t.byteSize();
                // Each tensor's data is padded to the alignment, as llama.cpp and gguf-py write it.
                long padded = bytes + (alignment - bytes % alignment) % alignment;
                if (t.offset() < end) {
                    throw error(infoOffsets.get(t.name()), "tensor " + t.name() + " at data offset " + t.offset()
                            + " overlaps tensor " + previous.name() + ", which ends at " + end);
                }
                if (t.offset() > dataSize || padded > dataSize - t.offset()) {
                    throw error(infoOffsets.get(t.name()), "truncated: tensor " + t.name() + " needs " + padded
                            + " bytes at data offset " + t.offset() + ", the data section has " + dataSize);
                }
                end = t.offset() + bytes;
                previous = t;
            }
        }

        private GgufValue value(GgufValueType type, String key, int depth) {
            long at = pos;
            return switch (type) {
                case UINT8 -> new GgufValue.Integer(type, u8(key));
                case INT8 -> new GgufValue.Integer(type, (byte) u8(key));
                case UINT16 -> new GgufValue.Integer(type, u16(key) & 0xFFFFL);
                case INT16 -> new GgufValue.Integer(type, (short) u16(key));
                case UINT32 -> new GgufValue.Integer(type, Integer.toUnsignedLong(u32(key)));
                case INT32 -> new GgufValue.Integer(type, u32(key));
                case UINT64, INT64 -> new GgufValue.Integer(type, u64(key));
                case FLOAT32 -> new GgufValue.Float32(Float.intBitsToFloat(u32(key)));
                case FLOAT64 -> new GgufValue.Float64(Double.longBitsToDouble(u64(key)));
                case BOOL -> {
                    int b = u8(key);
                    if (b > 1) {
                        throw error(at, "key " + key + " has BOOL value " + b + " (not 0 or 1)");
                    }
                    yield new GgufValue.Bool(b == 1);
                }
                case STRING -> new GgufValue.Str(string("value of key " + key));
                case ARRAY -> array(key, depth);
            };
        }

        private GgufValue.Array array(String key, int depth) {
            long at = pos;
            if (depth >= MAX_ARRAY_DEPTH) {
                throw error(at, "key " + key + " nests arrays deeper than " + MAX_ARRAY_DEPTH);
            }
            int code = u32("array element type of key " + key);
            GgufValueType et = GgufValueType.fromCode(Integer.toUnsignedLong(code));
            if (et == null) {
                throw error(at, "key " + key + " is an array of unknown type " + Integer.toUnsignedString(code));
            }
            int n = (int) count("element count of key " + key, et.minBytes(), MAX_ARRAY_ELEMENTS);
            totalElements += n;
            if (totalElements > MAX_TOTAL_ELEMENTS) {
                throw error(at, "the metadata holds more than " + MAX_TOTAL_ELEMENTS + " array elements");
            }
            String what = "element of key " + key;
            return switch (et) {
                case FLOAT32 -> {
                    need(4L * n, what);
                    float[] a = seg.asSlice(pos, 4L * n).toArray(GgufLayouts.F32);
                    pos += 4L * n;
                    yield new GgufValue.Array(et, a);
                }
                case FLOAT64 -> {
                    need(8L * n, what);
                    double[] a = seg.asSlice(pos, 8L * n).toArray(GgufLayouts.F64);
                    pos += 8L * n;
                    yield new GgufValue.Array(et, a);
                }
                case BOOL -> {
                    boolean[] a = new boolean[n];
                    for (int i = 0; i < n; i++) {
                        int b = u8(what);
                        if (b > 1) {
                            throw error(pos - 1, "key " + key + " element " + i + " has BOOL value " + b);
                        }
                        a[i] = b == 1;
                    }
                    yield new GgufValue.Array(et, a);
                }
                case STRING -> {
                    String[] a = new String[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = string(what);
                    }
                    yield new GgufValue.Array(et, a);
                }
                case ARRAY -> {
                    GgufValue.Array[] a = new GgufValue.Array[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = array(key, depth + 1);
                    }
                    yield new GgufValue.Array(et, a);
                }
                default -> {
                    long[] a = new long[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = ((GgufValue.Integer) value(et, key, depth)).value();
                    }
                    yield new GgufValue.Array(et, a);
                }
            };
        }
    }
}
