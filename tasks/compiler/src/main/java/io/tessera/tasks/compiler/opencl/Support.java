package io.tessera.tasks.compiler.opencl;

/**
 * Support functions an emitted program may need, each written once at the top of the program.
 * binary16 conversions go through {@code vload_half}/{@code vstore_half_rte} on private memory, so
 * {@code cl_khr_fp16} is not needed; bfloat16 is the upper half of a binary32.
 */
enum Support {
    HALF_BITS_TO_FLOAT("""
            inline float tessera_half_bits_to_float(short bits) {
                ushort b = (ushort) bits;
                return vload_half(0, (const __private half*) &b);
            }
            """),
    FLOAT_TO_HALF_BITS("""
            inline short tessera_float_to_half_bits(float value) {
                ushort b;
                vstore_half_rte(value, 0, (__private half*) &b);
                return (short) b;
            }
            """),
    BF16_TO_FLOAT("""
            inline float tessera_bf16_to_float(ushort bits) {
                return as_float(((uint) bits) << 16);
            }
            """),
    /** Round to nearest even, NaN kept quiet: as BFloat16Array.toBFloat16. */
    FLOAT_TO_BF16("""
            inline ushort tessera_float_to_bf16(float value) {
                uint bits = as_uint(value);
                if (isnan(value)) {
                    return (ushort) ((bits >> 16) | 0x40);
                }
                return (ushort) ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);
            }
            """),
    GET_SHORT("""
            inline short tessera_get_short(const __global char* bytes, long offset) {
                return (short) ((uint) (uchar) bytes[offset] | ((uint) (uchar) bytes[offset + 1] << 8));
            }
            """),
    GET_INT("""
            inline int tessera_get_int(const __global char* bytes, long offset) {
                return (int) ((uint) (uchar) bytes[offset] | ((uint) (uchar) bytes[offset + 1] << 8)
                        | ((uint) (uchar) bytes[offset + 2] << 16) | ((uint) (uchar) bytes[offset + 3] << 24));
            }
            """),
    /** Java's Math.round(float): floor(x + 1/2) computed exactly, saturating, NaN to 0. */
    ROUND_FLOAT("""
            inline int tessera_round_float(float x) {
                float f = floor(x);
                return convert_int_sat_rtz(x - f >= 0.5f ? f + 1.0f : f);
            }
            """),
    /** Java's Math.round(double). */
    ROUND_DOUBLE("""
            inline long tessera_round_double(double x) {
                double f = floor(x);
                return convert_long_sat_rtz(x - f >= 0.5 ? f + 1.0 : f);
            }
            """);

    private final String code;

    Support(String code) {
        this.code = code;
    }

    String code() {
        return code;
    }
}
