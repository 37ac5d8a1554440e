package io.tessera.tasks.compiler.ir;

/** The little-endian multi-byte reads of {@code ByteArray} at a byte offset. */
public enum ByteAccess {
    SHORT("getShort", ScalarType.I16, 2), HALF("getHalf", ScalarType.F32, 2), INT("getInt", ScalarType.I32, 4);

    private final String javaMethod;
    private final ScalarType type;
    private final int bytes;

    ByteAccess(String javaMethod, ScalarType type, int bytes) {
        this.javaMethod = javaMethod;
        this.type = type;
        this.bytes = bytes;
    }

    public String javaMethod() {
        return javaMethod;
    }

    public ScalarType type() {
        return type;
    }

    public int bytes() {
        return bytes;
    }
}
