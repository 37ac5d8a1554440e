package io.tessera.pipeline.gguf;

/** GGUF metadata value types with their file codes ({@code gguf_type} in llama.cpp's gguf.h). */
public enum GgufValueType {
    UINT8(0, 1), INT8(1, 1), UINT16(2, 2), INT16(3, 2), UINT32(4, 4), INT32(5, 4), FLOAT32(6, 4),
    BOOL(7, 1), STRING(8, 8), ARRAY(9, 12), UINT64(10, 8), INT64(11, 8), FLOAT64(12, 8);

    private final int code;
    private final int minBytes;

    GgufValueType(int code, int minBytes) {
        this.code = code;
        this.minBytes = minBytes;
    }

    public int code() {
        return code;
    }

    /** The fewest bytes a value of this type takes in a file (a string's length, an array's header). */
    int minBytes() {
        return minBytes;
    }

    public boolean isInteger() {
        return switch (this) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> true;
            default -> false;
        };
    }

    /** The type with this code, or {@code null}. */
    public static GgufValueType fromCode(long code) {
        for (GgufValueType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
