package io.tessera.pipeline.safetensors;

import java.util.Arrays;

/**
 * One tensor of a safetensors header: row-major {@code shape} (outermost first, as PyTorch
 * writes it) and its bytes {@code [begin, end)} relative to the data section of {@code file}.
 */
public record SafetensorsTensor(String name, SafetensorsDtype dtype, long[] shape, long begin, long end,
                                String file) {
    public SafetensorsTensor {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int i) {
        return shape[i];
    }

    public long elements() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public long byteSize() {
        return end - begin;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SafetensorsTensor t && name.equals(t.name) && dtype == t.dtype
                && Arrays.equals(shape, t.shape) && begin == t.begin && end == t.end && file.equals(t.file);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Long.hashCode(begin);
    }
}
