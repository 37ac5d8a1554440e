package io.tessera.pipeline.gguf;

import java.util.Arrays;
import java.util.Objects;

/** A typed GGUF metadata value. Arrays keep their elements in a primitive array of the element type. */
public sealed interface GgufValue {
    GgufValueType type();

    /** Scalar integers of every width, signed or not, with the unsigned ones zero-extended. */
    record Integer(GgufValueType type, long value) implements GgufValue {
        public Integer {
            if (!type.isInteger()) {
                throw new IllegalArgumentException(type + " is not an integer type");
            }
        }
    }

    record Float32(float value) implements GgufValue {
        public GgufValueType type() {
            return GgufValueType.FLOAT32;
        }
    }

    record Float64(double value) implements GgufValue {
        public GgufValueType type() {
            return GgufValueType.FLOAT64;
        }
    }

    record Bool(boolean value) implements GgufValue {
        public GgufValueType type() {
            return GgufValueType.BOOL;
        }
    }

    record Str(String value) implements GgufValue {
        public Str {
            Objects.requireNonNull(value, "value");
        }

        public GgufValueType type() {
            return GgufValueType.STRING;
        }
    }

    /**
     * An array. {@code elements} is a {@code long[]} for integer element types (unsigned ones
     * zero-extended), {@code float[]} for FLOAT32, {@code double[]} for FLOAT64, {@code boolean[]}
     * for BOOL, {@code String[]} for STRING and {@code Array[]} for nested arrays.
     */
    record Array(GgufValueType elementType, Object elements) implements GgufValue {
        public Array {
            Objects.requireNonNull(elementType, "elementType");
            boolean ok = switch (elementType) {
                case FLOAT32 -> elements instanceof float[];
                case FLOAT64 -> elements instanceof double[];
                case BOOL -> elements instanceof boolean[];
                case STRING -> elements instanceof String[];
                case ARRAY -> elements instanceof Array[];
                default -> elements instanceof long[];
            };
            if (!ok) {
                throw new IllegalArgumentException("elements of a " + elementType + " array cannot be "
                        + (elements == null ? "null" : elements.getClass().getSimpleName()));
            }
        }

        public GgufValueType type() {
            return GgufValueType.ARRAY;
        }

        public int length() {
            return switch (elements) {
                case long[] a -> a.length;
                case float[] a -> a.length;
                case double[] a -> a.length;
                case boolean[] a -> a.length;
                case String[] a -> a.length;
                case Array[] a -> a.length;
                default -> throw new IllegalStateException();
            };
        }

        public static Array ofStrings(String... values) {
            return new Array(GgufValueType.STRING, values.clone());
        }

        public static Array ofFloats(float... values) {
            return new Array(GgufValueType.FLOAT32, values.clone());
        }

        public static Array ofInts(GgufValueType type, long... values) {
            return new Array(type, values.clone());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Array a && a.elementType == elementType
                    && Arrays.deepEquals(new Object[] {elements}, new Object[] {a.elements});
        }

        @Override
        public int hashCode() {
            return Arrays.deepHashCode(new Object[] {elementType, elements});
        }

        @Override
        public String toString() {
            return "Array[" + elementType + " x " + length() + "]";
        }
    }

    static GgufValue uint8(int v) {
        return new Integer(GgufValueType.UINT8, v & 0xFFL);
    }

    static GgufValue uint32(long v) {
        return new Integer(GgufValueType.UINT32, v & 0xFFFF_FFFFL);
    }

    static GgufValue int32(int v) {
        return new Integer(GgufValueType.INT32, v);
    }

    static GgufValue uint64(long v) {
        return new Integer(GgufValueType.UINT64, v);
    }

    static GgufValue string(String v) {
        return new Str(v);
    }
}
