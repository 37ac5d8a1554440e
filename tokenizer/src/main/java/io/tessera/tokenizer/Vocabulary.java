package io.tessera.tokenizer;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/** Token texts, scores and types by id, and ids by text. Immutable. */
public final class Vocabulary {
    private final String[] tokens;
    private final float[] scores;
    private final TokenType[] types;
    private final Map<String, Integer> ids;
    private final int[] byteTokens = new int[256];

    /**
     * @param tokens token text per id (SentencePiece form: {@code ▁} for a space, {@code <0xNN>} for bytes)
     * @param scores score per id (higher merges first in score-ordered BPE), or {@code null} for zeros
     * @param types type per id, or {@code null} for all {@link TokenType#NORMAL}
     */
    public Vocabulary(String source, String[] tokens, float[] scores, TokenType[] types) {
        Objects.requireNonNull(tokens, "tokens");
        if (tokens.length == 0) {
            throw new TokenizerFormatException(source, "the vocabulary is empty");
        }
        if (scores != null && scores.length != tokens.length) {
            throw new TokenizerFormatException(source, "the vocabulary has " + tokens.length + " tokens but "
                    + scores.length + " scores");
        }
        if (types != null && types.length != tokens.length) {
            throw new TokenizerFormatException(source, "the vocabulary has " + tokens.length + " tokens but "
                    + types.length + " token types");
        }
        this.tokens = tokens.clone();
        this.scores = scores == null ? new float[tokens.length] : scores.clone();
        this.types = new TokenType[tokens.length];
        this.ids = HashMap.newHashMap(tokens.length);
        java.util.Arrays.fill(byteTokens, -1);
        for (int id = 0; id < tokens.length; id++) {
            String text = tokens[id];
            if (text == null) {
                throw new TokenizerFormatException(source, "token " + id + " has no text");
            }
            TokenType type = types == null || types[id] == null ? TokenType.NORMAL : types[id];
            this.types[id] = type;
            // The first id wins for duplicate texts, as in SentencePiece and llama.cpp.
            ids.putIfAbsent(text, id);
            int b = byteValue(text);
            if (b >= 0 && (type == TokenType.BYTE || byteTokens[b] < 0)) {
                byteTokens[b] = id;
            }
        }
    }

    /** The byte value of a {@code <0xNN>} text, or -1. */
    static int byteValue(String text) {
        if (text.length() != 6 || !text.startsWith("<0x") || text.charAt(5) != '>') {
            return -1;
        }
        int hi = Character.digit(text.charAt(3), 16);
        int lo = Character.digit(text.charAt(4), 16);
        return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
    }

    public int size() {
        return tokens.length;
    }

    public String token(int id) {
        checkId(id);
        return tokens[id];
    }

    public float score(int id) {
        checkId(id);
        return scores[id];
    }

    public TokenType type(int id) {
        checkId(id);
        return types[id];
    }

    /** The id of the token with exactly this text. */
    public OptionalInt id(String text) {
        Integer id = ids.get(text);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The id of the token with exactly this text, or -1. */
    int idOrMinusOne(String text) {
        Integer id = ids.get(text);
        return id == null ? -1 : id;
    }

    /** The id of the byte-fallback token {@code <0xNN>} for byte {@code b}, or -1 if the vocabulary has none. */
    public int byteToken(int b) {
        return byteTokens[b & 0xFF];
    }

    public boolean hasByteFallback() {
        for (int id : byteTokens) {
            if (id < 0) {
                return false;
            }
        }
        return true;
    }

    private void checkId(int id) {
        if (id < 0 || id >= tokens.length) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, " + tokens.length + ")");
        }
    }
}
