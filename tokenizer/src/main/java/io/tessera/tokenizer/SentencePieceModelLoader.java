package io.tessera.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a SentencePiece {@code tokenizer.model} ({@code sentencepiece_model.proto} ModelProto):
 * pieces with scores and types, the trainer spec (model type, byte fallback, special ids) and the
 * normalizer spec (dummy prefix, whitespace handling). Only BPE models with identity
 * normalisation are supported, which is what the Gemma family ships.
 */
final class SentencePieceModelLoader {
    private static final int MODEL_TYPE_BPE = 2;

    private SentencePieceModelLoader() {
    }

    static Tokenizer load(String source, byte[] data) {
        List<String> pieces = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        List<TokenType> types = new ArrayList<>();
        int modelType = 1;
        boolean byteFallback = false;
        int unk = 0;
        int bos = 1;
        int eos = 2;
        int pad = -1;
        String normalizerName = "";
        boolean hasCharsmap = false;
        boolean addDummyPrefix = true;
        boolean removeExtraWhitespaces = true;
        boolean escapeWhitespaces = true;
        boolean whitespaceAsSuffix = false;

        ProtoReader r = new ProtoReader(source, data, 0, data.length);
        while (r.hasMore()) {
            int key = r.key();
            int field = key >>> 3;
            int wire = key & 7;
            if (field == 1 && wire == ProtoReader.LENGTH_DELIMITED) {
                ProtoReader p = r.message();
                String piece = "";
                float score = 0;
                TokenType type = TokenType.NORMAL;
                while (p.hasMore()) {
                    int k = p.key();
                    switch (k) {
                        case (1 << 3) | ProtoReader.LENGTH_DELIMITED -> piece = p.string();
                        case (2 << 3) | ProtoReader.FIXED32 -> score = Float.intBitsToFloat(p.fixed32());
                        case (3 << 3) | ProtoReader.VARINT -> {
                            long code = p.varint();
                            type = TokenType.fromCode((int) code);
                            if (type == null) {
                                throw new TokenizerFormatException(source, "piece " + pieces.size()
                                        + " has unknown type " + code);
                            }
                        }
                        default -> p.skip(k & 7);
                    }
                }
                pieces.add(piece);
                scores.add(score);
                types.add(type);
            } else if (field == 2 && wire == ProtoReader.LENGTH_DELIMITED) {
                ProtoReader t = r.message();
                while (t.hasMore()) {
                    int k = t.key();
                    int f = k >>> 3;
                    if ((k & 7) != ProtoReader.VARINT) {
                        t.skip(k & 7);
                        continue;
                    }
                    long v = t.varint();
                    switch (f) {
                        case 3 -> modelType = (int) v;
                        case 24 -> whitespaceAsSuffix = v != 0;
                        case 35 -> byteFallback = v != 0;
                        case 40 -> unk = (int) v;
                        case 41 -> bos = (int) v;
                        case 42 -> eos = (int) v;
                        case 43 -> pad = (int) v;
                        default -> {
                        }
                    }
                }
            } else if (field == 3 && wire == ProtoReader.LENGTH_DELIMITED) {
                ProtoReader n = r.message();
                while (n.hasMore()) {
                    int k = n.key();
                    switch (k) {
                        case (1 << 3) | ProtoReader.LENGTH_DELIMITED -> normalizerName = n.string();
                        case (2 << 3) | ProtoReader.LENGTH_DELIMITED -> hasCharsmap = n.message().hasMore();
                        case (3 << 3) | ProtoReader.VARINT -> addDummyPrefix = n.varint() != 0;
                        case (4 << 3) | ProtoReader.VARINT -> removeExtraWhitespaces = n.varint() != 0;
                        case (5 << 3) | ProtoReader.VARINT -> escapeWhitespaces = n.varint() != 0;
                        default -> n.skip(k & 7);
                    }
                }
            } else {
                r.skip(wire);
            }
        }
        if (pieces.isEmpty()) {
            throw new TokenizerFormatException(source, "not a SentencePiece model: it has no pieces");
        }
        if (modelType != MODEL_TYPE_BPE) {
            String name = switch (modelType) {
                case 1 -> "UNIGRAM";
                case 3 -> "WORD";
                case 4 -> "CHAR";
                default -> String.valueOf(modelType);
            };
            throw new TokenizerFormatException(source, "SentencePiece model type " + name
                    + " is not supported (supported: BPE)");
        }
        if (hasCharsmap && !normalizerName.equals("identity")) {
            throw new TokenizerFormatException(source, "SentencePiece normalization rule \"" + normalizerName
                    + "\" (a precompiled character map) is not supported; only identity");
        }
        if (whitespaceAsSuffix) {
            throw new TokenizerFormatException(source, "treat_whitespace_as_suffix is not supported");
        }
        float[] scoreArray = new float[scores.size()];
        for (int i = 0; i < scoreArray.length; i++) {
            scoreArray[i] = scores.get(i);
        }
        Vocabulary vocab = new Vocabulary(source, pieces.toArray(String[]::new), scoreArray,
                types.toArray(TokenType[]::new));
        int size = vocab.size();
        BpeModel bpe = BpeModel.byScore(vocab, byteFallback, validOrMinusOne(unk, size), true);
        List<TextNormalizer> steps = new ArrayList<>();
        if (removeExtraWhitespaces) {
            steps.add(new TextNormalizer.CollapseSpaces());
        }
        if (escapeWhitespaces) {
            steps.add(new TextNormalizer.Replace(" ", "\u2581"));
        }
        return Tokenizer.builder(source, vocab, bpe)
                .normalizer(new TextNormalizer.Sequence(steps))
                .dummyPrefix(addDummyPrefix ? (escapeWhitespaces ? "\u2581" : " ") : "")
                .consumeLeadingMetaspace(addDummyPrefix)
                .normalizeBeforeAddedTokens(true)
                .special(new Tokenizer.SpecialIds(validOrMinusOne(bos, size), validOrMinusOne(eos, size),
                        validOrMinusOne(unk, size), validOrMinusOne(pad, size)))
                .addBos(bos >= 0 && bos < size)
                .build();
    }

    private static int validOrMinusOne(int id, int size) {
        return id >= 0 && id < size ? id : -1;
    }
}
