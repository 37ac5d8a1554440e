package io.tessera.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.pipeline.gguf.GgufKeys;
import io.tessera.pipeline.gguf.GgufValueType;
import io.tessera.pipeline.gguf.GgufWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tessera tokenize} and {@code detokenize} on malformed tokenizer files, run in-process:
 * exit code 3 and one line on stderr that names the file and the problem, no stack trace.
 */
class TokenizeBadFilesTest {
    @TempDir
    Path dir;

    private static void assertBadInput(CliHarness result, Path file, String problem) {
        assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.out()).isEmpty();
        assertThat(result.err().strip().lines()).hasSize(1);
        assertThat(result.err()).contains(file.toString()).contains(problem).doesNotContain("\tat ");
    }

    private static void assertBadInputEverywhere(Path file, String problem) {
        assertBadInput(CliHarness.run("tokenize", "--model", file.toString(), "x"), file, problem);
        assertBadInput(CliHarness.run("detokenize", "--model", file.toString(), "1"), file, problem);
    }

    private static String tokenizerJson(String merges) {
        return """
                {"normalizer":{"type":"Replace","pattern":{"String":" "},"content":"\u2581"},
                 "decoder":{"type":"Replace","pattern":{"String":"\u2581"},"content":" "},
                 "model":{"type":"BPE","vocab":{"a":0,"b":1,"ab":2},"merges":MERGES}}
                """.replace("MERGES", merges);
    }

    @Test
    void validFileForComparison() throws Exception {
        Path file = Files.writeString(dir.resolve("tokenizer.json"), tokenizerJson("[[\"a\",\"b\"]]"));
        CliHarness result = CliHarness.run("tokenize", "--model", file.toString(), "abab");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out().strip()).isEqualTo("2 2");
    }

    @Test
    void truncatedTokenizerJson() throws Exception {
        String json = tokenizerJson("[[\"a\",\"b\"]]");
        Path file = Files.writeString(dir.resolve("truncated.json"), json.substring(0, json.length() / 2));
        assertBadInputEverywhere(file, "not valid JSON at line");
    }

    @Test
    void mergeNamingAnUnknownToken() throws Exception {
        Path file = Files.writeString(dir.resolve("merge.json"), tokenizerJson("[[\"a\",\"b\"],[\"ab\",\"zz\"]]"));
        assertBadInputEverywhere(file, "merge 1 (\"ab\" \"zz\") names \"zz\", which is not in the vocabulary");
    }

    @Test
    void protobufWithABadVarint() throws Exception {
        ByteArrayOutputStream model = new ByteArrayOutputStream();
        // One piece: field 1 (piece "a"), field 2 (score 0.0f), field 3 (type NORMAL).
        byte[] piece = {0x0A, 0x01, 'a', 0x15, 0, 0, 0, 0, 0x18, 0x01};
        model.write(0x0A);
        model.write(piece.length);
        model.write(piece, 0, piece.length);
        // Then field 4 as a varint with eleven continuation bytes.
        model.write(0x20);
        for (int i = 0; i < 11; i++) {
            model.write(0xFF);
        }
        Path file = Files.write(dir.resolve("tokenizer.model"), model.toByteArray());
        assertBadInputEverywhere(file, "protobuf varint longer than 10 bytes at byte 23");
    }

    @Test
    void ggufVocabularyArraysOfDifferentLengths() throws Exception {
        Path file = dir.resolve("vocab.gguf");
        new GgufWriter().putString(GgufKeys.TOKENIZER_MODEL, "llama")
                .putStrings(GgufKeys.TOKENIZER_TOKENS, "<unk>", "a", "b")
                .putFloats(GgufKeys.TOKENIZER_SCORES, 0f, 0f, 0f)
                .putInts(GgufKeys.TOKENIZER_TOKEN_TYPE, GgufValueType.INT32, 2, 1)
                .write(file);
        assertBadInputEverywhere(file, "tokenizer.ggml.token_type has 2 entries for 3 tokens");
    }

    @Test
    void truncatedGguf() throws Exception {
        Path file = Files.write(dir.resolve("cut.gguf"), "GGUF\u0003\u0000\u0000\u0000\u0001"
                .getBytes(StandardCharsets.ISO_8859_1));
        assertBadInputEverywhere(file, "at byte 8");
    }
}
