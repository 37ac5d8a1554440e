package io.tessera.pipeline.safetensors;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One safetensors file, memory-mapped (huggingface/safetensors, "Format"): a little-endian u64
 * header length N, N bytes of UTF-8 JSON mapping each tensor name to {@code dtype}, {@code shape}
 * and {@code data_offsets [begin, end)} relative to the data section that follows the header, and
 * an optional {@code __metadata__} object of strings. Every length, offset and size is checked
 * against the file before use, so a truncated or lying file fails here with the tensor named,
 * never later with a read out of bounds; the header is read only after its length is known to fit
 * in the file and under {@link #MAX_HEADER_BYTES}. Tensor data are views of the mapping, never
 * copied onto the heap. Closing the file unmaps it.
 */
public final class SafetensorsFile implements AutoCloseable {
    /** The reference implementation's limit on the header (safetensors {@code MAX_HEADER_SIZE}). */
    public static final long MAX_HEADER_BYTES = 100L << 20;
    static final String METADATA = "__metadata__";

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final Path path;
    private final Arena arena;
    private final MemorySegment mapping;
    private final long dataOffset;
    private final Map<String, String> metadata;
    private final Map<String, SafetensorsTensor> tensors;

    private SafetensorsFile(Path path, Arena arena, MemorySegment mapping, long dataOffset, Map<String, String> metadata,
                            Map<String, SafetensorsTensor> tensors) {
        this.path = path;
        this.arena = arena;
        this.mapping = mapping;
        this.dataOffset = dataOffset;
        this.metadata = Collections.unmodifiableMap(metadata);
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    /** Opens, maps and validates a safetensors file. */
    public static SafetensorsFile open(Path path) {
        String name = path.toString();
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new SafetensorsFormatException(name, "truncated: " + size
                        + " bytes, shorter than the 8-byte header length");
            }
            MemorySegment mapping = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            long headerLength = mapping.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN),
                    0);
            if (headerLength < 0 || headerLength > size - 8) {
                throw new SafetensorsFormatException(name, "truncated: the header length "
                        + Long.toUnsignedString(headerLength) + " runs past the end of the file (" + size + " bytes)");
            }
            if (headerLength > MAX_HEADER_BYTES) {
                throw new SafetensorsFormatException(name, "the header length " + headerLength
                        + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
            }
            byte[] header = mapping.asSlice(8, headerLength).toArray(ValueLayout.JAVA_BYTE);
            long dataOffset = 8 + headerLength;
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, SafetensorsTensor> tensors = parseHeader(name, header, size - dataOffset, metadata);
            return new SafetensorsFile(path, arena, mapping, dataOffset, metadata, tensors);
        } catch (IOException e) {
            arena.close();
            throw new SafetensorsFormatException(name, "cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static Map<String, SafetensorsTensor> parseHeader(String file, byte[] header, long dataBytes,
                                                              Map<String, String> metadata) {
        JsonNode root;
        try {
            root = JSON.readTree(header);
        } catch (JacksonException e) {
            String problem = String.valueOf(e.getOriginalMessage()).replaceAll("\\s*\\R\\s*", " ").strip();
            throw new SafetensorsFormatException(file, "the header is not valid JSON: " + problem, e);
        }
        if (root == null || !root.isObject()) {
            throw new SafetensorsFormatException(file, "the header is not a JSON object");
        }
        Map<String, SafetensorsTensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            String key = e.getKey();
            JsonNode v = e.getValue();
            if (key.equals(METADATA)) {
                if (!v.isObject()) {
                    throw new SafetensorsFormatException(file, METADATA + " is not an object");
                }
                for (Map.Entry<String, JsonNode> m : v.properties()) {
                    if (!m.getValue().isString()) {
                        throw new SafetensorsFormatException(file, METADATA + "." + m.getKey() + " is not a string");
                    }
                    metadata.put(m.getKey(), m.getValue().stringValue());
                }
                continue;
            }
            tensors.put(key, tensor(file, key, v, dataBytes));
        }
        return tensors;
    }

    private static SafetensorsTensor tensor(String file, String name, JsonNode v, long dataBytes) {
        String what = "tensor " + name;
        if (!v.isObject()) {
            throw new SafetensorsFormatException(file, what + " is not an object");
        }
        JsonNode dtypeNode = v.path("dtype");
        if (!dtypeNode.isString()) {
            throw new SafetensorsFormatException(file, what + " has no dtype string");
        }
        String dtypeName = dtypeNode.stringValue();
        SafetensorsDtype dtype = SafetensorsDtype.byName(dtypeName).orElseThrow(() ->
                new SafetensorsFormatException(file, what + " has unknown dtype '" + dtypeName + "'"));
        JsonNode shapeNode = v.path("shape");
        if (!shapeNode.isArray()) {
            throw new SafetensorsFormatException(file, what + " has no shape array");
        }
        long[] shape = new long[shapeNode.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = nonNegative(file, what, "shape[" + i + "]", shapeNode.get(i));
            try {
                elements = Math.multiplyExact(elements, shape[i]);
            } catch (ArithmeticException ex) {
                throw new SafetensorsFormatException(file, what + " has shape " + shapeNode
                        + " whose element count overflows");
            }
        }
        JsonNode offsets = v.path("data_offsets");
        if (!offsets.isArray() || offsets.size() != 2) {
            throw new SafetensorsFormatException(file, what + " has no data_offsets pair [begin, end]");
        }
        long begin = nonNegative(file, what, "data_offsets[0]", offsets.get(0));
        long end = nonNegative(file, what, "data_offsets[1]", offsets.get(1));
        if (end < begin) {
            throw new SafetensorsFormatException(file, what + " has data_offsets [" + begin + ", " + end
                    + "] that end before they begin");
        }
        if (end > dataBytes) {
            throw new SafetensorsFormatException(file, what + " has data_offsets [" + begin + ", " + end
                    + "] past the end of the data (" + dataBytes + " bytes): the file is truncated or lies");
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(elements, dtype.bytes());
        } catch (ArithmeticException ex) {
            throw new SafetensorsFormatException(file, what + " is too large");
        }
        if (end - begin != bytes) {
            throw new SafetensorsFormatException(file, what + " of shape " + shapeNode + " and dtype " + dtype
                    + " needs " + bytes + " bytes, but data_offsets [" + begin + ", " + end + "] hold " + (end - begin));
        }
        return new SafetensorsTensor(name, dtype, shape, begin, end, file);
    }

    private static long nonNegative(String file, String what, String field, JsonNode n) {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0) {
            throw new SafetensorsFormatException(file, what + " has " + field + " = " + n
                    + ", not a non-negative integer");
        }
        return n.longValue();
    }

    public Path path() {
        return path;
    }

    /** The {@code __metadata__} strings (PyTorch writes {@code format: pt}). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Every tensor, in header order. */
    public Collection<SafetensorsTensor> tensors() {
        return tensors.values();
    }

    public Optional<SafetensorsTensor> tensor(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    /** Absolute file offset of the data section. */
    public long dataOffset() {
        return dataOffset;
    }

    /** The tensor's bytes, a view of the mapping (valid until {@link #close()}). */
    public MemorySegment data(SafetensorsTensor tensor) {
        if (!tensor.equals(tensors.get(tensor.name()))) {
            throw new IllegalArgumentException("tensor " + tensor.name() + " is not in " + path);
        }
        return mapping.asSlice(dataOffset + tensor.begin(), tensor.byteSize());
    }

    @Override
    public void close() {
        arena.close();
    }
}
