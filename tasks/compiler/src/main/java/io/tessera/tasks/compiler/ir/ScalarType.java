package io.tessera.tasks.compiler.ir;

/**
 * Value types of the kernel IR: Java's primitive types without {@code char}, plus {@link #VOID}
 * for helper functions and calls that return nothing.
 */
public enum ScalarType {
    VOID("void"), BOOL("boolean"), I8("byte"), I16("short"), I32("int"), I64("long"), F32("float"),
    F64("double");

    private final String javaName;

    ScalarType(String javaName) {
        this.javaName = javaName;
    }

    /** The Java spelling of this type ({@code int}, {@code float}, ...). */
    public String javaName() {
        return javaName;
    }

    public boolean isInteger() {
        return this == I8 || this == I16 || this == I32 || this == I64;
    }

    public boolean isFloating() {
        return this == F32 || this == F64;
    }

    public boolean isNumeric() {
        return isInteger() || isFloating();
    }

    /** True for the types that occupy two JVM local-variable slots. */
    public boolean isWide() {
        return this == I64 || this == F64;
    }
}
