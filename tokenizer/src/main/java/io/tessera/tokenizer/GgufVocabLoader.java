package io.tessera.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Builds a tokenizer from GGUF {@code tokenizer.ggml.*} metadata. Model {@code llama} is
 * SentencePiece BPE: without {@code merges} the pairs merge by token score, as llama.cpp's SPM
 * tokenizer does; with merges, by merge rank.
 */
final class GgufVocabLoader {
    private GgufVocabLoader() {
    }

    static Tokenizer load(TokenizerMetadata md) {
        String source = md.source();
        String model = md.string(TokenizerKeys.MODEL).orElseThrow(() ->
                new TokenizerFormatException(source, "missing " + TokenizerKeys.MODEL));
        if (!model.equals("llama")) {
            throw new TokenizerFormatException(source, "tokenizer model \"" + model
                    + "\" is not supported (supported: llama, the SentencePiece BPE of the Gemma family)");
        }
        String[] tokens = md.stringArray(TokenizerKeys.TOKENS).orElseThrow(() ->
                new TokenizerFormatException(source, "missing " + TokenizerKeys.TOKENS));
        float[] scores = md.floatArray(TokenizerKeys.SCORES).orElse(null);
        if (scores != null && scores.length != tokens.length) {
            throw new TokenizerFormatException(source, TokenizerKeys.SCORES + " has " + scores.length
                    + " entries for " + tokens.length + " tokens (" + TokenizerKeys.TOKENS + ")");
        }
        TokenType[] types = null;
        int[] typeCodes = md.intArray(TokenizerKeys.TOKEN_TYPE).orElse(null);
        if (typeCodes != null) {
            if (typeCodes.length != tokens.length) {
                throw new TokenizerFormatException(source, TokenizerKeys.TOKEN_TYPE + " has " + typeCodes.length
                        + " entries for " + tokens.length + " tokens (" + TokenizerKeys.TOKENS + ")");
            }
            types = new TokenType[typeCodes.length];
            for (int i = 0; i < typeCodes.length; i++) {
                types[i] = TokenType.fromCode(typeCodes[i]);
                if (types[i] == null) {
                    throw new TokenizerFormatException(source, "token " + i + " has unknown token type " + typeCodes[i]);
                }
            }
        }
        Vocabulary vocab = new Vocabulary(source, tokens, scores, types);
        int unk = id(md, TokenizerKeys.UNKNOWN_ID, vocab);
        BpeModel bpe;
        String[] merges = md.stringArray(TokenizerKeys.MERGES).orElse(null);
        if (merges != null && merges.length > 0) {
            List<String[]> pairs = new ArrayList<>(merges.length);
            for (int i = 0; i < merges.length; i++) {
                int space = merges[i].indexOf(' ', 1);
                if (space < 0) {
                    throw new TokenizerFormatException(source, "merge " + i + " (\"" + merges[i]
                            + "\") is not two tokens separated by a space");
                }
                pairs.add(new String[] {merges[i].substring(0, space), merges[i].substring(space + 1)});
            }
            bpe = BpeModel.byRank(source, vocab, pairs, vocab.hasByteFallback(), unk, false);
        } else {
            bpe = BpeModel.byScore(vocab, vocab.hasByteFallback(), unk, false);
        }
        boolean spacePrefix = md.bool(TokenizerKeys.ADD_SPACE_PREFIX).orElse(true);
        return Tokenizer.builder(source, vocab, bpe)
                .normalizer(new TextNormalizer.Replace(" ", "\u2581"))
                .dummyPrefix(spacePrefix ? "\u2581" : "")
                .stripLeadingSpace(spacePrefix)
                .special(new Tokenizer.SpecialIds(id(md, TokenizerKeys.BOS_ID, vocab), id(md, TokenizerKeys.EOS_ID, vocab),
                        unk, id(md, TokenizerKeys.PADDING_ID, vocab)))
                .addBos(md.bool(TokenizerKeys.ADD_BOS).orElse(true))
                .addEos(md.bool(TokenizerKeys.ADD_EOS).orElse(false))
                .build();
    }

    private static int id(TokenizerMetadata md, String key, Vocabulary vocab) {
        OptionalLong v = md.integer(key);
        if (v.isEmpty()) {
            return -1;
        }
        long id = v.getAsLong();
        if (id < 0 || id >= vocab.size()) {
            throw new TokenizerFormatException(md.source(), key + " = " + id + " is outside the vocabulary of "
                    + vocab.size() + " tokens");
        }
        return (int) id;
    }
}
