package io.tessera.pipeline.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Malformed, truncated and lying safetensors files and shard indexes: each is one
 * {@link SafetensorsFormatException} that names the file and the problem, before any tensor byte is
 * read and without allocating what the file claims.
 */
class SafetensorsHostileFileTest {
    @TempDir
    Path tmp;

    /** A file of a u64 header length, the header text, then {@code data} bytes. */
    private Path file(String name, long headerLength, String header, int data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLength).put(h);
        Path p = tmp.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    private Path file(String header, int data) throws IOException {
        return file("bad.safetensors", header.getBytes(StandardCharsets.UTF_8).length, header, data);
    }

    private static void rejects(Path p, String... parts) {
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(p));
        assertTrue(e.getMessage().startsWith(p.toString() + ": "), e.getMessage());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should say '" + part + "'");
        }
    }

    @Test
    void roundTripOfEachFloatType() throws IOException {
        Path p = tmp.resolve("ok.safetensors");
        new SafetensorsWriter().put("a", "F32", new float[] {1.5f, -2f, 3.25f, 0f, 7f, 8f}, 2, 3)
                .put("b", "F16", new float[] {0.5f, -1f}, 2)
                .put("c", "BF16", new float[] {3f, -0.25f, 100f}, 3).write(p);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertEquals("pt", f.metadata().get("format"));
            SafetensorsTensor a = f.tensor("a").orElseThrow();
            assertArrayEquals(new long[] {2, 3}, a.shape());
            assertEquals(SafetensorsDtype.F32, a.dtype());
            assertEquals(3.25f, f.data(a).get(ValueLayout.JAVA_FLOAT_UNALIGNED, 8));
            SafetensorsTensor b = f.tensor("b").orElseThrow();
            assertEquals(-1f, Float.float16ToFloat(f.data(b).get(ValueLayout.JAVA_SHORT_UNALIGNED, 2)));
            SafetensorsTensor c = f.tensor("c").orElseThrow();
            assertEquals(100f, Float.intBitsToFloat(f.data(c).get(ValueLayout.JAVA_SHORT_UNALIGNED, 4) << 16));
            assertEquals(3, f.tensors().size());
        }
    }

    @Test
    void shorterThanTheHeaderLength() throws IOException {
        Path p = tmp.resolve("tiny.safetensors");
        Files.write(p, new byte[] {1, 2, 3});
        rejects(p, "truncated", "3 bytes");
    }

    @Test
    void headerLengthPastTheEnd() throws IOException {
        rejects(file("long.safetensors", 1000, "{}", 0), "truncated", "header length 1000", "runs past the end");
    }

    @Test
    void hugeHeaderLengthIsNotAllocated() throws IOException {
        rejects(file("huge.safetensors", -8, "{}", 0), "truncated", "18446744073709551608");
    }

    @Test
    void headerOverTheLimitInALargeSparseFile() throws IOException {
        Path p = tmp.resolve("sparse.safetensors");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(SafetensorsFile.MAX_HEADER_BYTES + 1024);
            f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                    .putLong(SafetensorsFile.MAX_HEADER_BYTES + 1).array());
        }
        rejects(p, "exceeds the limit");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "{\"a\": |not valid JSON",
        "[1, 2]|not a JSON object",
        "{\"a\": {\"dtype\": \"Q4_K\", \"shape\": [4], \"data_offsets\": [0, 16]}}|tensor a has unknown dtype 'Q4_K'",
        "{\"a\": {\"shape\": [4], \"data_offsets\": [0, 16]}}|tensor a has no dtype",
        "{\"a\": {\"dtype\": \"F32\", \"data_offsets\": [0, 16]}}|tensor a has no shape",
        "{\"a\": {\"dtype\": \"F32\", \"shape\": [4]}}|tensor a has no data_offsets",
        "{\"a\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16000]}}|past the end of the data (16 bytes)",
        "{\"a\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [16, 0]}}|end before they begin",
        "{\"a\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 8]}}|needs 16 bytes",
        "{\"a\": {\"dtype\": \"F32\", \"shape\": [-4], \"data_offsets\": [0, 16]}}|shape[0] = -4",
        "{\"a\": {\"dtype\": \"F32\", \"shape\": [4611686018427387904, 8], \"data_offsets\": [0, 16]}}|overflows",
        "{\"a\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, -16]}}|data_offsets[1] = -16",
        "{\"a\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]}, \"a\": {}}|Duplicate",
        "{\"__metadata__\": [1], \"a\": {}}|__metadata__ is not an object",
        "{\"a\": 7}|tensor a is not an object",
    })
    void lyingHeaders(String header, String problem) throws IOException {
        rejects(file(header, 16), problem);
    }

    private Path shardedDir(String index) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("sharded"));
        new SafetensorsWriter().put("a", "F32", new float[] {1, 2}, 2).write(dir.resolve("one.safetensors"));
        Files.writeString(dir.resolve(SafetensorsCheckpoint.INDEX), index);
        return dir;
    }

    private static void rejectsDir(Path dir, String... parts) {
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class,
                () -> SafetensorsCheckpoint.open(dir));
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should say '" + part + "'");
        }
    }

    @Test
    void shardIndexes() throws IOException {
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(shardedDir(
                "{\"weight_map\": {\"a\": \"one.safetensors\"}}"))) {
            assertEquals(2, c.tensor("a").orElseThrow().elements());
        }
        rejectsDir(shardedDir("{\"weight_map\": {\"a\": \"two.safetensors\"}}"), "shard two.safetensors",
                "not in the directory");
        rejectsDir(shardedDir("{\"weight_map\": {\"a\": \"../one.safetensors\"}}"), "not a file of the directory");
        rejectsDir(shardedDir("{\"weight_map\": {\"b\": \"one.safetensors\"}}"), "has no tensor b");
        rejectsDir(shardedDir("{\"metadata\": {}}"), "no weight_map");
        rejectsDir(shardedDir("{\"weight_map\": "), "not valid JSON");
        rejectsDir(Files.createDirectories(tmp.resolve("empty")), "no model.safetensors");
    }
}
