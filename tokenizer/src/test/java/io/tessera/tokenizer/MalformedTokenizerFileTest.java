package io.tessera.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed tokenizer files: each fails with one {@link TokenizerFormatException} whose message
 * names the file and says what is wrong (and where, for binary files).
 */
class MalformedTokenizerFileTest {
    @TempDir
    Path dir;

    /** A valid tokenizer.json: <pad> <eos> <bos> <unk> ▁ a b ab ▁ab and 256 byte tokens. */
    static String tokenizerJson(String merges) {
        StringBuilder vocab = new StringBuilder("{\"<pad>\":0,\"<eos>\":1,\"<bos>\":2,\"<unk>\":3,\"\u2581\":4,\"a\":5,"
                + "\"b\":6,\"ab\":7,\"\u2581ab\":8");
        for (int b = 0; b < 256; b++) {
            vocab.append(",\"<0x%02X>\":%d".formatted(b, 9 + b));
        }
        vocab.append('}');
        return """
                {"added_tokens":[{"id":2,"content":"<bos>","special":true}],
                 "normalizer":{"type":"Replace","pattern":{"String":" "},"content":"\u2581"},
                 "decoder":{"type":"Sequence","decoders":[{"type":"Replace","pattern":{"String":"\u2581"},"content":" "},
                   {"type":"ByteFallback"},{"type":"Fuse"}]},
                 "model":{"type":"BPE","unk_token":"<unk>","byte_fallback":true,"vocab":VOCAB,"merges":MERGES}}
                """.replace("VOCAB", vocab).replace("MERGES", merges);
    }

    private Path write(String name, byte[] content) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, content);
        return file;
    }

    private Path write(String name, String content) throws Exception {
        return write(name, content.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theValidFilesLoad() throws Exception {
        Tokenizer t = Tokenizer.load(write("tokenizer.json", tokenizerJson("[[\"a\",\"b\"],[\"\u2581\",\"ab\"]]")));
        assertThat(t.encode("ab ab", false, false)).containsExactly(7, 8);
        assertThat(Tokenizer.load(write("tokenizer.model", sentencePieceModel())).encode("a", false, false))
                .containsExactly(3);
    }

    @Test
    void truncatedTokenizerJson() throws Exception {
        String json = tokenizerJson("[[\"a\",\"b\"]]");
        for (int cut : new int[] {1, json.length() / 3, json.length() / 2, json.length() - 2}) {
            Path file = write("truncated.json", json.substring(0, cut));
            assertThatThrownBy(() -> Tokenizer.load(file)).as("cut at %d", cut)
                    .isInstanceOf(TokenizerFormatException.class)
                    .hasMessageStartingWith(file + ": not valid JSON")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void mergeNamingAnUnknownToken() throws Exception {
        Path file = write("bad-merge.json", tokenizerJson("[[\"a\",\"b\"],[\"\u2581\",\"zz\"]]"));
        assertThatThrownBy(() -> Tokenizer.load(file)).isInstanceOf(TokenizerFormatException.class)
                .hasMessage(file + ": merge 1 (\"\u2581\" \"zz\") names \"zz\", which is not in the vocabulary");
        Path result = write("bad-result.json", tokenizerJson("[[\"b\",\"a\"]]"));
        assertThatThrownBy(() -> Tokenizer.load(result)).isInstanceOf(TokenizerFormatException.class)
                .hasMessage(result + ": merge 0 (\"b\" \"a\") makes \"ba\", which is not in the vocabulary");
    }

    /** A valid tokenizer.model: <unk> <s> </s> a. */
    static byte[] sentencePieceModel() {
        SentencePieceVocab v = new SentencePieceVocab(new String[] {"<unk>", "<s>", "</s>", "a"}, new float[4],
                new TokenType[] {TokenType.UNKNOWN, TokenType.CONTROL, TokenType.CONTROL, TokenType.NORMAL},
                1, 2, 0, -1, true);
        return SentencePieceModelWriter.write(v, 2, false, false, "identity", new byte[0]);
    }

    @Test
    void protobufWithABadVarint() throws Exception {
        byte[] good = sentencePieceModel();
        // After the model's fields, field 4 as a varint (key 0x20) with eleven continuation bytes.
        ByteArrayOutputStream tooLong = new ByteArrayOutputStream();
        tooLong.write(good, 0, good.length);
        tooLong.write(0x20);
        for (int i = 0; i < 11; i++) {
            tooLong.write(0xFF);
        }
        Path file = write("long-varint.model", tooLong.toByteArray());
        assertThatThrownBy(() -> Tokenizer.load(file)).isInstanceOf(TokenizerFormatException.class)
                .hasMessage(file + ": protobuf varint longer than 10 bytes at byte " + (good.length + 11));

        // The same key, then a varint whose continuation bits run into the end of the file.
        byte[] cutVarint = Arrays.copyOf(good, good.length + 3);
        cutVarint[good.length] = 0x20;
        cutVarint[good.length + 1] = (byte) 0x80;
        cutVarint[good.length + 2] = (byte) 0x80;
        Path cut = write("cut-varint.model", cutVarint);
        assertThatThrownBy(() -> Tokenizer.load(cut)).isInstanceOf(TokenizerFormatException.class)
                .hasMessage(cut + ": protobuf truncated varint at byte " + cutVarint.length);

        // The first piece claims more bytes than the file holds.
        byte[] pastEnd = Arrays.copyOf(good, 40);
        pastEnd[1] = 0x7F;
        Path longPiece = write("long-piece.model", pastEnd);
        assertThatThrownBy(() -> Tokenizer.load(longPiece)).isInstanceOf(TokenizerFormatException.class)
                .hasMessage(longPiece + ": protobuf length 127 runs past the end of its message at byte 2");
    }

    @Test
    void vocabularyArraysOfDifferentLengths() {
        Map<String, Object> md = new HashMap<>();
        md.put(TokenizerKeys.MODEL, "llama");
        md.put(TokenizerKeys.TOKENS, new String[] {"<unk>", "a", "b"});
        md.put(TokenizerKeys.SCORES, new float[] {0, 0});
        assertThatThrownBy(() -> Tokenizer.fromMetadata(new TokenizerUnitTest.MapMetadata(md)))
                .isInstanceOf(TokenizerFormatException.class)
                .hasMessage("test.gguf: tokenizer.ggml.scores has 2 entries for 3 tokens (tokenizer.ggml.tokens)");
        md.put(TokenizerKeys.SCORES, new float[] {0, 0, 0});
        md.put(TokenizerKeys.TOKEN_TYPE, new int[] {2, 1, 1, 1});
        assertThatThrownBy(() -> Tokenizer.fromMetadata(new TokenizerUnitTest.MapMetadata(md)))
                .isInstanceOf(TokenizerFormatException.class)
                .hasMessage("test.gguf: tokenizer.ggml.token_type has 4 entries for 3 tokens (tokenizer.ggml.tokens)");
    }
}
