package io.tessera.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A vocabulary in SentencePiece form — token texts, scores and types by id — as a model file
 * stores it (GGUF {@code tokenizer.ggml.tokens/scores/token_type}, or {@code tokenizer.model}
 * pieces), with the special ids.
 *
 * <p>{@link #fromTokenizerJson} derives one from a Hugging Face {@code tokenizer.json} the way
 * llama.cpp's converter types tokens (added special tokens are CONTROL, other added tokens
 * USER_DEFINED, {@code <0xNN>} BYTE, the unk token UNKNOWN). A {@code tokenizer.json} has no piece
 * scores, so each token produced by a merge is scored {@code -rank} of the first merge producing
 * it, which makes score-ordered merging follow the merge list; other tokens score 0.
 */
public record SentencePieceVocab(String[] tokens, float[] scores, TokenType[] types,
                                 int bosId, int eosId, int unknownId, int paddingId, boolean addBos) {

    public static SentencePieceVocab fromTokenizerJson(Path file) {
        String source = file.toString();
        JsonNode root;
        try (InputStream in = Files.newInputStream(file)) {
            root = new ObjectMapper().readTree(in);
        } catch (JacksonException e) {
            throw HfTokenizerJsonLoader.notJson(source, e);
        } catch (IOException e) {
            throw new TokenizerFormatException(source, "cannot read: " + e.getMessage(), e);
        }
        Tokenizer t = HfTokenizerJsonLoader.load(source, root);
        Vocabulary v = t.vocabulary();
        int n = v.size();
        String[] tokens = new String[n];
        TokenType[] types = new TokenType[n];
        float[] scores = new float[n];
        for (int id = 0; id < n; id++) {
            tokens[id] = v.token(id);
            types[id] = v.type(id);
        }
        Map<String, Integer> firstRank = new HashMap<>();
        int rank = 0;
        for (JsonNode m : root.path("model").path("merges")) {
            String merged = m.isArray() ? m.get(0).asString() + m.get(1).asString()
                    : m.stringValue().replaceFirst(" ", "");
            firstRank.putIfAbsent(merged, rank++);
        }
        for (int id = 0; id < n; id++) {
            Integer r = firstRank.get(tokens[id]);
            scores[id] = r == null || types[id] != TokenType.NORMAL ? 0f : -r;
        }
        Tokenizer.SpecialIds s = t.specialIds();
        return new SentencePieceVocab(tokens, scores, types, s.bos(), s.eos(), s.unknown(), s.padding(), t.addsBos());
    }

    public int size() {
        return tokens.length;
    }
}
