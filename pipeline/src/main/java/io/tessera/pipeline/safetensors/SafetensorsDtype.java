package io.tessera.pipeline.safetensors;

import java.util.Optional;

/**
 * The element types of the safetensors format (huggingface/safetensors {@code Dtype}), with their
 * sizes. The engine computes with {@link #F32}, {@link #F16} and {@link #BF16}; the others are
 * known so that a file holding them still opens and the error can name the tensor that uses one.
 */
public enum SafetensorsDtype {
    BOOL(1), U8(1), I8(1), F8_E5M2(1), F8_E4M3(1), I16(2), U16(2), F16(2), BF16(2), I32(4), U32(4), F32(4),
    F64(8), I64(8), U64(8);

    private final int bytes;

    SafetensorsDtype(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** Whether the decoder and encoders compute with this type. */
    public boolean computable() {
        return this == F32 || this == F16 || this == BF16;
    }

    /** The type of a header's {@code dtype} string, if the format defines it. */
    public static Optional<SafetensorsDtype> byName(String name) {
        for (SafetensorsDtype d : values()) {
            if (d.name().equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
