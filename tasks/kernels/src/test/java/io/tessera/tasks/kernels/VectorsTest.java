package io.tessera.tasks.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.tessera.tasks.api.ByteArray;

class VectorsTest {

    /** NaNs need only stay NaN: whether a signalling NaN gets quieted depends on the JIT's intrinsic. */
    @Test
    void halfWideningIsBitExactForAllHalfValues() {
        MemorySegment all = MemorySegment.ofArray(new short[65536]);
        for (int i = 0; i < 65536; i++) {
            all.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, (short) i);
        }
        float[] out = new float[65536];
        Vectors.decodeF16(all, 0, 65536, out);
        for (int i = 0; i < 65536; i++) {
            float want = Float.float16ToFloat((short) i);
            if (Float.isNaN(want)) {
                assertThat(out[i]).as("half 0x%04x", i).isNaN();
            } else {
                assertThat(Float.floatToRawIntBits(out[i])).as("half 0x%04x", i)
                        .isEqualTo(Float.floatToRawIntBits(want));
            }
        }
    }

    @Test
    void bfloat16WideningIsTheUpperHalfOfTheFloat() {
        MemorySegment all = MemorySegment.ofArray(new short[65536]);
        for (int i = 0; i < 65536; i++) {
            all.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, (short) i);
        }
        float[] out = new float[65536];
        Vectors.decodeBF16(all, 0, 65536, out);
        for (int i = 0; i < 65536; i++) {
            assertThat(Float.floatToRawIntBits(out[i])).isEqualTo(i << 16);
        }
    }

    @Test
    void quantisedRowDecodersMatchTheTestDecoder() {
        SplittableRandom rnd = TestArrays.random(77);
        float[] raw = TestArrays.floats(rnd, 3 * 96, 2).toArray();
        ByteArray q8 = QuantCodec.encodeQ8_0(raw);
        ByteArray q4 = QuantCodec.encodeQ4_0(raw);
        float[] want8 = QuantCodec.decodeQ8_0(q8, raw.length);
        float[] want4 = QuantCodec.decodeQ4_0(q4, raw.length);
        float[] row = new float[96];
        for (int r = 0; r < 3; r++) {
            Vectors.decodeQ8_0(q8.segment(), r * Quant.q8_0RowBytes(96), 96, row);
            for (int j = 0; j < 96; j++) {
                assertThat(row[j]).isEqualTo(want8[r * 96 + j]);
            }
            Vectors.decodeQ4_0(q4.segment(), r * Quant.q4_0RowBytes(96), 96, row);
            for (int j = 0; j < 96; j++) {
                assertThat(row[j]).isEqualTo(want4[r * 96 + j]);
            }
        }
    }

    @Test
    void quantisedRowLengthMustBeWholeBlocks() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Quant.q8_0RowBytes(33))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("33");
        assertThat(Quant.q4_0RowBytes(64)).isEqualTo(36);
    }
}
