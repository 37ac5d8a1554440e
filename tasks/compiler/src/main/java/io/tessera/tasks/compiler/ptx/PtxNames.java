package io.tessera.tasks.compiler.ptx;

/** PTX spellings: identifiers and literals. */
final class PtxNames {
    private PtxNames() {
    }

    /** {@code name} with every character PTX identifiers do not allow replaced by {@code _}. */
    static String identifier(String name) {
        StringBuilder s = new StringBuilder();
        for (char c : name.toCharArray()) {
            s.append(Character.isLetterOrDigit(c) && c < 128 ? c : '_');
        }
        if (s.isEmpty() || Character.isDigit(s.charAt(0))) {
            s.insert(0, '_');
        }
        return s.toString();
    }

    /** A PTX single-precision literal, exact: {@code 0f3F800000}. */
    static String f32(float value) {
        return String.format("0f%08X", Float.floatToRawIntBits(value));
    }

    /** A PTX double-precision literal, exact: {@code 0d3FF0000000000000}. */
    static String f64(double value) {
        return String.format("0d%016X", Double.doubleToRawLongBits(value));
    }
}
