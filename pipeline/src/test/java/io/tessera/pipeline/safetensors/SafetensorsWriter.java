package io.tessera.pipeline.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes safetensors files the way huggingface/safetensors does (u64 header length, JSON header
 * padded with spaces to a multiple of 8, tensors packed in order), for tests. Values are given as
 * floats and stored as F32, F16, BF16 (round to nearest even) or I32.
 */
public final class SafetensorsWriter {
    /** One tensor to write. */
    public record Entry(String dtype, long[] shape, float[] values) {
    }

    private final Map<String, Entry> tensors = new LinkedHashMap<>();

    public SafetensorsWriter put(String name, String dtype, float[] values, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException(name + ": " + values.length + " values for shape " + List.of(shape));
        }
        tensors.put(name, new Entry(dtype, shape, values));
        return this;
    }

    public Map<String, Entry> tensors() {
        return tensors;
    }

    public void write(Path file) throws IOException {
        write(file, tensors);
    }

    static int bytes(String dtype) {
        return dtype.equals("F32") || dtype.equals("I32") ? 4 : 2;
    }

    /** bf16 bits of f, rounded to nearest even (as torch's .to(torch.bfloat16)). */
    public static short bf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }

    public static void write(Path file, Map<String, Entry> tensors) throws IOException {
        StringBuilder header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        long offset = 0;
        for (Map.Entry<String, Entry> e : tensors.entrySet()) {
            Entry t = e.getValue();
            long size = (long) t.values().length * bytes(t.dtype());
            header.append(",\"").append(e.getKey()).append("\":{\"dtype\":\"").append(t.dtype()).append("\",\"shape\":[");
            for (int i = 0; i < t.shape().length; i++) {
                header.append(i > 0 ? "," : "").append(t.shape()[i]);
            }
            header.append("],\"data_offsets\":[").append(offset).append(',').append(offset + size).append("]}");
            offset += size;
        }
        header.append('}');
        while ((header.length() + 8) % 8 != 0) {
            header.append(' ');
        }
        byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate((int) (8 + h.length + offset)).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        for (Entry t : tensors.values()) {
            for (float v : t.values()) {
                switch (t.dtype()) {
                    case "F32" -> b.putFloat(v);
                    case "F16" -> b.putShort(Float.floatToFloat16(v));
                    case "BF16" -> b.putShort(bf16(v));
                    case "I32" -> b.putInt((int) v);
                    default -> throw new IllegalArgumentException("dtype " + t.dtype());
                }
            }
        }
        Files.write(file, b.array());
    }
}
