package io.tessera.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closed-form cases on tiny vocabularies whose right answers can be worked out by hand. */
class TokenizerUnitTest {
    /** Metadata held in maps, as a GGUF file would give it. */
    record MapMetadata(Map<String, Object> values) implements TokenizerMetadata {
        public String source() {
            return "test.gguf";
        }

        public Optional<String> string(String key) {
            return Optional.ofNullable((String) values.get(key));
        }

        public Optional<String[]> stringArray(String key) {
            return Optional.ofNullable((String[]) values.get(key));
        }

        public Optional<float[]> floatArray(String key) {
            return Optional.ofNullable((float[]) values.get(key));
        }

        public Optional<int[]> intArray(String key) {
            return Optional.ofNullable((int[]) values.get(key));
        }

        public OptionalLong integer(String key) {
            Object v = values.get(key);
            return v == null ? OptionalLong.empty() : OptionalLong.of((Long) v);
        }

        public Optional<Boolean> bool(String key) {
            return Optional.ofNullable((Boolean) values.get(key));
        }
    }

    /** ids: 0 <unk>, 1 <bos>, 2 <eos>, 3.. pieces, then 256 byte tokens, then <start_of_turn>. */
    static Tokenizer scored(String[] pieces, float[] scores, boolean spacePrefix) {
        int n = 3 + pieces.length + 256 + 1;
        String[] tokens = new String[n];
        float[] s = new float[n];
        int[] types = new int[n];
        tokens[0] = "<unk>";
        types[0] = 2;
        tokens[1] = "<bos>";
        types[1] = 3;
        tokens[2] = "<eos>";
        types[2] = 3;
        for (int i = 0; i < pieces.length; i++) {
            tokens[3 + i] = pieces[i];
            s[3 + i] = scores[i];
            types[3 + i] = 1;
        }
        for (int b = 0; b < 256; b++) {
            tokens[3 + pieces.length + b] = "<0x%02X>".formatted(b);
            types[3 + pieces.length + b] = 6;
        }
        tokens[n - 1] = "<start_of_turn>";
        types[n - 1] = 3;
        Map<String, Object> md = new HashMap<>();
        md.put(TokenizerKeys.MODEL, "llama");
        md.put(TokenizerKeys.TOKENS, tokens);
        md.put(TokenizerKeys.SCORES, s);
        md.put(TokenizerKeys.TOKEN_TYPE, types);
        md.put(TokenizerKeys.UNKNOWN_ID, 0L);
        md.put(TokenizerKeys.BOS_ID, 1L);
        md.put(TokenizerKeys.EOS_ID, 2L);
        md.put(TokenizerKeys.ADD_SPACE_PREFIX, spacePrefix);
        return Tokenizer.fromMetadata(new MapMetadata(md));
    }

    @Test
    void scoreOrderedMergesPickTheBestScoredToken() {
        // "abc": pairs ab (score -1) and bc (score -2); ab wins, then ab+c -> abc.
        Tokenizer t = scored(new String[] {"a", "b", "c", "ab", "bc", "abc"}, new float[] {0, 0, 0, -1, -2, -3}, false);
        assertThat(t.encode("abc", false, false)).containsExactly(8);
        // "bcab" -> bc? ab has the better score: b c ab -> then bc merges: [bc][ab]
        assertThat(t.encode("bcab", false, false)).containsExactly(7, 6);
        // equal scores: the leftmost pair merges first: "aaa" with "aa" -> [aa][a]
        Tokenizer eq = scored(new String[] {"a", "aa"}, new float[] {0, -1}, false);
        assertThat(eq.encode("aaa", false, false)).containsExactly(4, 3);
    }

    @Test
    void byteFallbackDummyPrefixAndBos() {
        Tokenizer t = scored(new String[] {"\u2581", "a", "\u2581a"}, new float[] {0, 0, -1}, true);
        int bytes = 6;
        assertThat(t.encode("a")).containsExactly(1, 5);
        assertThat(t.encode("a é", false, false)).containsExactly(5, 3, bytes + 0xC3, bytes + 0xA9);
        assertThat(t.decode(t.encode("a é"), true)).isEqualTo("a é");
        assertThat(t.encode("<start_of_turn>a", false, true)).containsExactly(t.vocabulary().size() - 1, 4);
        assertThat(t.encode("<start_of_turn>", false, false)).doesNotContain(t.vocabulary().size() - 1);
    }

    @Test
    void streamingDecoderHoldsBackSplitCharacters() {
        Tokenizer t = scored(new String[] {"a"}, new float[] {0}, false);
        int bytes = 4;
        StreamingDecoder d = t.streamingDecoder(true);
        assertThat(d.accept(1)).isEmpty();
        assertThat(d.accept(3)).isEqualTo("a");
        // U+1F917 is F0 9F A4 97
        assertThat(d.accept(bytes + 0xF0)).isEmpty();
        assertThat(d.accept(bytes + 0x9F)).isEmpty();
        assertThat(d.accept(bytes + 0xA4)).isEmpty();
        assertThat(d.accept(bytes + 0x97)).isEqualTo("\uD83E\uDD17");
        assertThat(d.accept(bytes + 0xE6)).isEmpty();
        assertThat(d.finish()).isEqualTo("\uFFFD");
        assertThat(d.accept(bytes + 0xFF)).isEqualTo("\uFFFD");
    }

    @Test
    void ggufMetadataErrorsNameTheFile() {
        Map<String, Object> md = new HashMap<>();
        md.put(TokenizerKeys.MODEL, "gpt2");
        assertThatThrownBy(() -> Tokenizer.fromMetadata(new MapMetadata(md)))
                .isInstanceOf(TokenizerFormatException.class).hasMessageStartingWith("test.gguf: tokenizer model \"gpt2\"");
        md.put(TokenizerKeys.MODEL, "llama");
        assertThatThrownBy(() -> Tokenizer.fromMetadata(new MapMetadata(md)))
                .hasMessageContaining("missing tokenizer.ggml.tokens");
        md.put(TokenizerKeys.TOKENS, new String[] {"a"});
        md.put(TokenizerKeys.BOS_ID, 5L);
        assertThatThrownBy(() -> Tokenizer.fromMetadata(new MapMetadata(md)))
                .hasMessageContaining("bos_token_id = 5 is outside the vocabulary");
    }

    @Test
    void sentencePieceModelsOtherThanBpeAreRejected(@TempDir Path dir) throws Exception {
        SentencePieceVocab v = new SentencePieceVocab(new String[] {"<unk>", "<s>", "</s>", "a"}, new float[4],
                new TokenType[] {TokenType.UNKNOWN, TokenType.CONTROL, TokenType.CONTROL, TokenType.NORMAL}, 1, 2, 0, -1, true);
        Path unigram = dir.resolve("u.model");
        Files.write(unigram, SentencePieceModelWriter.write(v, 1, true, true, "identity", new byte[0]));
        assertThatThrownBy(() -> Tokenizer.load(unigram)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("model type UNIGRAM is not supported");
        Path nfkc = dir.resolve("n.model");
        Files.write(nfkc, SentencePieceModelWriter.write(v, 2, true, true, "nmt_nfkc", new byte[] {1, 2, 3}));
        assertThatThrownBy(() -> Tokenizer.load(nfkc)).hasMessageContaining("\"nmt_nfkc\"");
        Path bpe = dir.resolve("b.model");
        Files.write(bpe, SentencePieceModelWriter.write(v, 2, true, true, "identity", new byte[0]));
        Tokenizer t = Tokenizer.load(bpe);
        // dummy prefix "▁" is not in this vocabulary and there are no byte tokens: it becomes <unk>
        assertThat(t.encode("a")).containsExactly(1, 0, 3);
        Path truncated = dir.resolve("t.model");
        byte[] full = Files.readAllBytes(bpe);
        Files.write(truncated, java.util.Arrays.copyOf(full, full.length - 3));
        assertThatThrownBy(() -> Tokenizer.load(truncated)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("t.model: protobuf");
    }

    @Test
    void chatTemplates() {
        List<ChatMessage> conversation = List.of(ChatMessage.system("SYS"), ChatMessage.user("Hello"));
        assertThat(ChatTemplate.GEMMA3.render(conversation, true))
                .isEqualTo("<bos><start_of_turn>user\nSYS\n\nHello<end_of_turn>\n<start_of_turn>model\n");
        assertThat(ChatTemplate.GEMMA4.render(List.of(ChatMessage.user(" Hi "), ChatMessage.assistant("Yes")), true))
                .isEqualTo("<bos><|turn>user\nHi<turn|>\n<|turn>model\nYes<turn|>\n<|turn>model\n");
        assertThat(ChatTemplate.GEMMA3N.render(List.of(new ChatMessage(ChatMessage.Role.USER,
                List.of(new ChatMessage.Audio(), new ChatMessage.Text("Transcribe")))), false))
                .isEqualTo("<bos><start_of_turn>user\n<audio_soft_token>Transcribe<end_of_turn>\n");
        assertThatThrownBy(() -> ChatTemplate.GEMMA3.render(List.of(ChatMessage.assistant("x")), true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alternate");
        assertThat(ChatTemplate.GEMMA3.imageSequence(2))
                .isEqualTo("\n\n<start_of_image><image_soft_token><image_soft_token><end_of_image>\n\n");
        assertThat(ChatTemplate.GEMMA4.audioSequence(1)).isEqualTo("<|audio><|audio|><audio|>");
    }
}
