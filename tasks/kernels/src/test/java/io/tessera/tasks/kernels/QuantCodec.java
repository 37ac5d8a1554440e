package io.tessera.tasks.kernels;

import java.lang.foreign.ValueLayout;

import io.tessera.tasks.api.ByteArray;

/**
 * The test's own Q8_0 / Q4_0 encoder and decoder, written from the GGUF block description:
 * Q8_0 = {f16 d, int8 q[32]}, value = d q; Q4_0 = {f16 d, 16 bytes, low nibbles elements 0..15,
 * high nibbles 16..31}, value = d (nibble - 8). Encoding follows ggml's reference quantisers
 * (Q8_0: d = amax / 127; Q4_0: d = signed max / -8), though any encoding would do: the kernels are
 * compared with the float product of what the decoder reads back.
 */
final class QuantCodec {
    private QuantCodec() {
    }

    static ByteArray encodeQ8_0(float[] values) {
        int blocks = checkBlocks(values.length);
        ByteArray out = ByteArray.allocate((long) blocks * 34);
        for (int b = 0; b < blocks; b++) {
            float amax = 0;
            for (int j = 0; j < 32; j++) {
                amax = Math.max(amax, Math.abs(values[b * 32 + j]));
            }
            float d = amax / 127f;
            short dBits = Float.floatToFloat16(d);
            float id = d == 0 ? 0 : 1 / d;
            long at = (long) b * 34;
            out.segment().set(ValueLayout.JAVA_SHORT_UNALIGNED, at, dBits);
            for (int j = 0; j < 32; j++) {
                int q = Math.round(values[b * 32 + j] * id);
                out.set(at + 2 + j, (byte) Math.max(-127, Math.min(127, q)));
            }
        }
        return out;
    }

    static float[] decodeQ8_0(ByteArray data, int count) {
        float[] out = new float[count];
        for (int b = 0; b < count / 32; b++) {
            long at = (long) b * 34;
            float d = Float.float16ToFloat(data.segment().get(ValueLayout.JAVA_SHORT_UNALIGNED, at));
            for (int j = 0; j < 32; j++) {
                out[b * 32 + j] = d * data.segment().get(ValueLayout.JAVA_BYTE, at + 2 + j);
            }
        }
        return out;
    }

    static ByteArray encodeQ4_0(float[] values) {
        int blocks = checkBlocks(values.length);
        ByteArray out = ByteArray.allocate((long) blocks * 18);
        for (int b = 0; b < blocks; b++) {
            float max = 0;
            float amax = 0;
            for (int j = 0; j < 32; j++) {
                float v = values[b * 32 + j];
                if (Math.abs(v) > amax) {
                    amax = Math.abs(v);
                    max = v;
                }
            }
            float d = max / -8f;
            float id = d == 0 ? 0 : 1 / d;
            long at = (long) b * 18;
            out.segment().set(ValueLayout.JAVA_SHORT_UNALIGNED, at, Float.floatToFloat16(d));
            for (int j = 0; j < 16; j++) {
                int lo = Math.min(15, (int) (values[b * 32 + j] * id + 8.5f));
                int hi = Math.min(15, (int) (values[b * 32 + 16 + j] * id + 8.5f));
                out.set(at + 2 + j, (byte) (lo | (hi << 4)));
            }
        }
        return out;
    }

    static float[] decodeQ4_0(ByteArray data, int count) {
        float[] out = new float[count];
        for (int b = 0; b < count / 32; b++) {
            long at = (long) b * 18;
            float d = Float.float16ToFloat(data.segment().get(ValueLayout.JAVA_SHORT_UNALIGNED, at));
            for (int j = 0; j < 16; j++) {
                int q = data.segment().get(ValueLayout.JAVA_BYTE, at + 2 + j) & 0xFF;
                out[b * 32 + j] = d * ((q & 15) - 8);
                out[b * 32 + 16 + j] = d * ((q >>> 4) - 8);
            }
        }
        return out;
    }

    private static int checkBlocks(int count) {
        if (count % 32 != 0) {
            throw new IllegalArgumentException(count + " values are not whole blocks of 32");
        }
        return count / 32;
    }
}
