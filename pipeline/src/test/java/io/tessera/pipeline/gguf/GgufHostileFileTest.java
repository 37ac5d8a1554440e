package io.tessera.pipeline.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed and hostile GGUF files must fail with a GgufFormatException naming file and offset. */
class GgufHostileFileTest {
    @TempDir
    Path dir;

    /** Little-endian byte builder for hand-made headers. */
    static final class Raw {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Raw u32(long v) {
            return put(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
        }

        Raw u64(long v) {
            return put(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        }

        Raw str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            return put(b);
        }

        Raw put(byte[] b) {
            out.write(b, 0, b.length);
            return this;
        }

        Raw pad(int alignment) {
            while (out.size() % alignment != 0) {
                out.write(0);
            }
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        static Raw header(long tensors, long kvs) {
            return new Raw().put("GGUF".getBytes(StandardCharsets.US_ASCII)).u32(3).u64(tensors).u64(kvs);
        }
    }

    private GgufFormatException fails(byte[] bytes) throws Exception {
        Path file = dir.resolve("hostile.gguf");
        Files.write(file, bytes);
        try {
            GgufFile.open(file).close();
        } catch (GgufFormatException e) {
            assertThat(e.getMessage()).startsWith(file.toString() + ": at byte ");
            assertThat(e.offset()).isBetween(0L, (long) bytes.length);
            return e;
        }
        throw new AssertionError("no GgufFormatException for " + bytes.length + " bytes");
    }

    private static Raw oneTensor(long dim, int type, long offset) {
        return Raw.header(1, 1).str("general.architecture").u32(8).str("gemma3")
                .str("w").u32(1).u64(dim).u32(type).u64(offset);
    }

    @Test
    void truncationAtEveryByteFailsCleanly() throws Exception {
        Path file = dir.resolve("small.gguf");
        GgufRoundTripTest.sample(32).write(file);
        byte[] full = Files.readAllBytes(file);
        try (GgufFile g = GgufFile.open(file)) {
            assertThat(g.tensors()).isNotEmpty();
        }
        for (int n = 0; n < full.length; n++) {
            fails(Arrays.copyOf(full, n));
        }
    }

    @Test
    void badMagicVersionAndEndianness() throws Exception {
        assertThat(fails("GGML".getBytes(StandardCharsets.US_ASCII)).getMessage()).contains("not a GGUF file");
        assertThat(fails(new Raw().put("GGUF".getBytes(StandardCharsets.US_ASCII)).u32(1).u64(0).u64(0).bytes())
                .getMessage()).contains("version 1 is not supported");
        assertThat(fails(new Raw().put("GGUF".getBytes(StandardCharsets.US_ASCII)).u32(0x03000000).u64(0).u64(0).bytes())
                .getMessage()).contains("big-endian");
        assertThat(fails(new Raw().put("GGUF".getBytes(StandardCharsets.US_ASCII)).u32(99).bytes()).offset()).isEqualTo(4);
    }

    @Test
    void hugeCountsFailBeforeAllocating() throws Exception {
        assertThat(fails(Raw.header(Long.MAX_VALUE, 0).bytes()).getMessage()).contains("tensor count");
        assertThat(fails(Raw.header(0, -1).bytes()).getMessage()).contains("key/value count");
        assertThat(fails(Raw.header(0, 1_000_000).bytes()).getMessage()).contains("cannot fit");
        var e = fails(Raw.header(0, 1).str("k").u32(9).u32(8).u64(1L << 40).bytes());
        assertThat(e.getMessage()).contains("element count of key k");
        assertThat(fails(Raw.header(0, 1).str("k").u32(9).u32(4).u64(1000).u32(1).bytes()).getMessage())
                .contains("cannot fit");
    }

    @Test
    void stringLengthsPastTheEnd() throws Exception {
        var e = fails(Raw.header(0, 1).u64(Long.MAX_VALUE).put(new byte[16]).bytes());
        assertThat(e.getMessage()).contains("runs past the end");
        assertThat(e.offset()).isEqualTo(24);
        assertThat(fails(Raw.header(0, 1).str("k").u32(8).u64(-8).bytes()).getMessage()).contains("runs past the end");
        assertThat(fails(Raw.header(0, 1).str("k").u32(8).u64(100).put(new byte[10]).bytes()).getMessage())
                .contains("runs past the end");
    }

    @Test
    void badValuesAndKeys() throws Exception {
        assertThat(fails(Raw.header(0, 1).str("k").u32(13).bytes()).getMessage()).contains("unknown value type 13");
        assertThat(fails(Raw.header(0, 1).str("k").u32(7).put(new byte[] {2}).bytes()).getMessage()).contains("BOOL value 2");
        assertThat(fails(Raw.header(0, 2).str("k").u32(4).u32(1).str("k").u32(4).u32(2).bytes()).getMessage())
                .contains("duplicate key k");
        Raw deep = Raw.header(0, 1).str("k").u32(9);
        for (int i = 0; i < 20; i++) {
            deep.u32(9).u64(1);
        }
        assertThat(fails(deep.u32(4).u64(0).bytes()).getMessage()).contains("nests arrays deeper");
        assertThat(fails(Raw.header(0, 1).str("general.alignment").u32(4).u32(24).bytes()).getMessage())
                .contains("not a power of two");
        assertThat(fails(Raw.header(0, 1).str("general.alignment").u32(5).u32(32).bytes()).getMessage())
                .contains("must be a UINT32");
    }

    @Test
    void badTensorInfos() throws Exception {
        byte[] good = oneTensor(8, 0, 0).pad(32).put(new byte[32]).bytes();
        Path ok = dir.resolve("ok.gguf");
        Files.write(ok, good);
        try (GgufFile g = GgufFile.open(ok)) {
            assertThat(g.tensor("w").orElseThrow().byteSize()).isEqualTo(32);
        }
        assertThat(fails(oneTensor(8, 99, 0).pad(32).put(new byte[32]).bytes()).getMessage())
                .contains("unknown tensor type 99 for tensor w");
        assertThat(fails(oneTensor(8, 0, 16).pad(32).put(new byte[64]).bytes()).getMessage())
                .contains("not a multiple of the alignment 32");
        assertThat(fails(oneTensor(8, 0, 1L << 40).pad(32).put(new byte[32]).bytes()).getMessage())
                .contains("truncated: tensor w");
        assertThat(fails(oneTensor(1L << 62, 0, 0).pad(32).put(new byte[32]).bytes()).getMessage())
                .contains("tensor w");
        assertThat(fails(oneTensor(-5, 0, 0).pad(32).bytes()).getMessage()).contains("negative");
        assertThat(fails(oneTensor(33, 8, 0).pad(32).put(new byte[64]).bytes()).getMessage())
                .contains("not a multiple of the block size 32");
        assertThat(fails(Raw.header(1, 0).str("w").u32(5).put(new byte[64]).bytes()).getMessage()).contains("dimensions (at most 4)");
        byte[] overlapping = Raw.header(2, 0)
                .str("a").u32(1).u64(16).u32(0).u64(0)
                .str("b").u32(1).u64(8).u32(0).u64(32)
                .pad(32).put(new byte[128]).bytes();
        assertThat(fails(overlapping).getMessage()).contains("overlaps tensor a");
        byte[] duplicate = Raw.header(2, 0)
                .str("a").u32(1).u64(8).u32(0).u64(0)
                .str("a").u32(1).u64(8).u32(0).u64(32)
                .pad(32).put(new byte[64]).bytes();
        assertThat(fails(duplicate).getMessage()).contains("duplicate tensor name a");
    }

    @Test
    void missingFileIsAFormatErrorNamingIt() {
        Path missing = dir.resolve("missing.gguf");
        assertThatThrownBy(() -> GgufFile.open(missing)).isInstanceOf(GgufFormatException.class)
                .hasMessageContaining(missing.toString());
    }
}
