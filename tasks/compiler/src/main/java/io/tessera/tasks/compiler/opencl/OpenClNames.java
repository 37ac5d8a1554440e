package io.tessera.tasks.compiler.opencl;

import java.util.Set;

/** Java identifiers made safe as OpenCL C identifiers: names that OpenCL reserves get a trailing underscore. */
final class OpenClNames {
    private static final Set<String> RESERVED = Set.of(
            // C99 and OpenCL C keywords and qualifiers
            "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum",
            "extern", "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return",
            "short", "signed", "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void",
            "volatile", "while", "bool", "true", "false", "half", "uchar", "ushort", "uint", "ulong", "size_t",
            "ptrdiff_t", "intptr_t", "uintptr_t", "event_t", "sampler_t", "image2d_t", "image3d_t",
            "global", "local", "constant", "private", "kernel", "read_only", "write_only", "read_write",
            "__global", "__local", "__constant", "__private", "__kernel", "complex", "imaginary",
            // built-in functions this back end calls, and common ones a Java name might shadow
            "abs", "min", "max", "fmin", "fmax", "fabs", "fmod", "exp", "log", "sqrt", "rsqrt", "tanh", "sin",
            "cos", "pow", "fma", "floor", "ceil", "round", "isnan", "as_float", "as_int", "clamp", "mix", "dot",
            "sign", "step", "select", "barrier", "vload_half", "vstore_half", "vstore_half_rte",
            "get_global_id", "get_local_id", "get_group_id", "get_global_size", "get_local_size",
            "get_num_groups", "convert_int_sat_rtz", "convert_long_sat_rtz", "NAN", "INFINITY");

    private OpenClNames() {
    }

    static String safe(String javaName) {
        return RESERVED.contains(javaName) || javaName.startsWith("tessera_") || javaName.startsWith("__")
                ? javaName + "_" : javaName;
    }
}
