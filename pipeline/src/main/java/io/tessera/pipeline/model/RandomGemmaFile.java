package io.tessera.pipeline.model;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.tessera.pipeline.gguf.GgufKeys;
import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.gguf.GgufValueType;
import io.tessera.pipeline.gguf.GgufWriter;
import io.tessera.tokenizer.SentencePieceVocab;
import io.tessera.tokenizer.TokenType;

/**
 * Writes a Gemma-family GGUF file with seeded random weights in the real layout (keys and tensor
 * names of spec/MODELS.md §1.6, norms stored as GGUF stores them, 1 + w), with a SentencePiece
 * vocabulary that llama.cpp accepts: {@code <pad> <eos> <bos> <unk> <start_of_turn> <end_of_turn>},
 * the 256 byte tokens {@code <0xNN>}, then word pieces. For benchmarks and for comparisons with
 * other implementations on the same file; the numbers mean nothing.
 *
 * @param architecture   family
 * @param layers         decoder layers
 * @param hidden         embedding width
 * @param ffn            feed-forward width
 * @param heads          query heads
 * @param kvHeads        key/value heads
 * @param headDim        head width ({@code key_length})
 * @param vocab          vocabulary size, at least 262 (6 specials and 256 bytes)
 * @param window         sliding window (0: no key written)
 * @param context        {@code context_length}
 * @param matrixType     type of the projection matrices
 * @param embeddingType  type of the embedding table
 * @param ropeBase       {@code rope.freq_base}
 * @param ropeFactor     linear RoPE scaling factor (1: no scaling keys written)
 * @param attnSoftcap    {@code attn_logit_softcapping} (0: no key written)
 * @param finalSoftcap   {@code final_logit_softcapping} (0: no key written)
 * @param seed           seed of the weights
 */
public record RandomGemmaFile(Architecture architecture, int layers, int hidden, int ffn, int heads, int kvHeads,
                              int headDim, int vocab, int window, int context, GgufTensorType matrixType,
                              GgufTensorType embeddingType, float ropeBase, float ropeFactor, float attnSoftcap,
                              float finalSoftcap, long seed) {

    /** Special tokens at the start of the vocabulary, with their GGUF token types. */
    public static final List<String> SPECIALS = List.of("<pad>", "<eos>", "<bos>", "<unk>", "<start_of_turn>",
            "<end_of_turn>");
    public static final int PAD = 0;
    public static final int EOS = 1;
    public static final int BOS = 2;
    public static final int UNK = 3;
    private static final String[] WORDS = ("the of and to in is it that was for on are with as be at by this from "
            + "or have an they which one you were her all she there would their we him been has when who will more "
            + "no if out so said what up its about into than them can only other new some could time these two may "
            + "then do first any my now such like our over man me even most made after also did many before must "
            + "through back years where much your way well down should because each just those people how too "
            + "little state good very make world still own see men work long get here between both life being under "
            + "never day same another know while last might us great old year off come since against go came right "
            + "used take three").split(" ");

    public RandomGemmaFile {
        if (vocab < SPECIALS.size() + 256) {
            throw new IllegalArgumentException("the vocabulary needs at least " + (SPECIALS.size() + 256) + " tokens");
        }
    }

    /** The Gemma 3 270M shape (18 layers, hidden 640, 4 heads, 1 kv head, head_dim 256, ffn 2048, vocab 262144). */
    public static RandomGemmaFile gemma3_270m(GgufTensorType type, long seed) {
        return new RandomGemmaFile(Architecture.GEMMA3, 18, 640, 2048, 4, 1, 256, 262_144, 512, 32_768, type, type,
                1_000_000f, 1f, 0f, 0f, seed);
    }

    /** This file with another weight type for matrices and embedding. */
    public RandomGemmaFile withType(GgufTensorType type) {
        return new RandomGemmaFile(architecture, layers, hidden, ffn, heads, kvHeads, headDim, vocab, window, context,
                type, type, ropeBase, ropeFactor, attnSoftcap, finalSoftcap, seed);
    }

    /** The vocabulary's pieces: specials, bytes, then words and numbered pieces. */
    public String[] tokens() {
        String[] t = new String[vocab];
        int n = 0;
        for (String s : SPECIALS) {
            t[n++] = s;
        }
        for (int b = 0; b < 256; b++) {
            t[n++] = String.format("<0x%02X>", b);
        }
        int w = 0;
        while (n < vocab) {
            String piece = w < WORDS.length ? "\u2581" + WORDS[w] : w < WORDS.length + 26
                    ? String.valueOf((char) ('a' + w - WORDS.length)) : "\u2581w" + (w - WORDS.length - 26);
            t[n++] = piece;
            w++;
        }
        return t;
    }

    /** The vocabulary of {@link #tokens()}, typed and scored as llama.cpp's SentencePiece loader expects. */
    public SentencePieceVocab vocabulary() {
        float[] scores = new float[vocab];
        TokenType[] types = new TokenType[vocab];
        for (int i = 0; i < vocab; i++) {
            if (i < SPECIALS.size()) {
                types[i] = i == UNK ? TokenType.UNKNOWN : TokenType.CONTROL;
            } else if (i < SPECIALS.size() + 256) {
                types[i] = TokenType.BYTE;
            } else {
                types[i] = TokenType.NORMAL;
                scores[i] = -(i - SPECIALS.size() - 256) * 0.01f - 1f;
            }
        }
        return new SentencePieceVocab(tokens(), scores, types, BOS, EOS, UNK, PAD, true);
    }

    public void write(Path path) throws IOException {
        write(path, vocabulary());
    }

    /**
     * Writes the file with another vocabulary (a real one, such as Gemma 3's from its
     * tokenizer.json), which must have {@link #vocab()} tokens: the embedding has one row per token.
     */
    public void write(Path path, SentencePieceVocab vocabulary) throws IOException {
        if (vocabulary.size() != vocab) {
            throw new IllegalArgumentException("the vocabulary has " + vocabulary.size() + " tokens; this file has "
                    + vocab + " embedding rows");
        }
        String a = architecture.ggufName();
        GgufWriter w = new GgufWriter();
        w.putString(GgufKeys.ARCHITECTURE, a);
        w.putString(GgufKeys.NAME, "random " + a);
        w.putUInt32(GgufKeys.contextLength(a), context);
        w.putUInt32(GgufKeys.embeddingLength(a), hidden);
        w.putUInt32(GgufKeys.blockCount(a), layers);
        w.putUInt32(GgufKeys.feedForwardLength(a), ffn);
        w.putUInt32(GgufKeys.headCount(a), heads);
        w.putUInt32(GgufKeys.headCountKv(a), kvHeads);
        w.putUInt32(GgufKeys.keyLength(a), headDim);
        w.putUInt32(GgufKeys.valueLength(a), headDim);
        w.putFloat32(GgufKeys.rmsNormEpsilon(a), 1e-6f);
        w.putFloat32(GgufKeys.ropeFreqBase(a), ropeBase);
        if (window > 0) {
            w.putUInt32(GgufKeys.slidingWindow(a), window);
        }
        if (ropeFactor != 1f) {
            w.putString(GgufKeys.ropeScalingType(a), "linear");
            w.putFloat32(GgufKeys.ropeScalingFactor(a), ropeFactor);
        }
        if (attnSoftcap > 0) {
            w.putFloat32(GgufKeys.attnLogitSoftcapping(a), attnSoftcap);
        }
        if (finalSoftcap > 0) {
            w.putFloat32(GgufKeys.finalLogitSoftcapping(a), finalSoftcap);
        }
        writeVocabulary(w, vocabulary);

        SplittableRandom rnd = new SplittableRandom(seed);
        Arena arena = Arena.ofShared();
        try {
            matrix(w, arena, rnd, TensorNames.TOKEN_EMBEDDING, embeddingType, vocab, hidden, 2.0 / Math.sqrt(hidden));
            vector(w, arena, rnd, TensorNames.OUTPUT_NORM, hidden);
            for (int i = 0; i < layers; i++) {
                vector(w, arena, rnd, TensorNames.attnNorm(i), hidden);
                matrix(w, arena, rnd, TensorNames.attnQ(i), matrixType, heads * headDim, hidden, 1 / Math.sqrt(hidden));
                matrix(w, arena, rnd, TensorNames.attnK(i), matrixType, kvHeads * headDim, hidden, 1 / Math.sqrt(hidden));
                matrix(w, arena, rnd, TensorNames.attnV(i), matrixType, kvHeads * headDim, hidden, 1 / Math.sqrt(hidden));
                if (architecture.qkNorm()) {
                    vector(w, arena, rnd, TensorNames.attnQNorm(i), headDim);
                    vector(w, arena, rnd, TensorNames.attnKNorm(i), headDim);
                }
                matrix(w, arena, rnd, TensorNames.attnOutput(i), matrixType, hidden, heads * headDim,
                        1 / Math.sqrt(heads * headDim));
                if (architecture.postNorms()) {
                    vector(w, arena, rnd, TensorNames.postAttentionNorm(i), hidden);
                }
                vector(w, arena, rnd, TensorNames.ffnNorm(i), hidden);
                matrix(w, arena, rnd, TensorNames.ffnGate(i), matrixType, ffn, hidden, 1 / Math.sqrt(hidden));
                matrix(w, arena, rnd, TensorNames.ffnUp(i), matrixType, ffn, hidden, 1 / Math.sqrt(hidden));
                matrix(w, arena, rnd, TensorNames.ffnDown(i), matrixType, hidden, ffn, 1 / Math.sqrt(ffn));
                if (architecture.postNorms()) {
                    vector(w, arena, rnd, TensorNames.postFfwNorm(i), hidden);
                }
            }
            w.write(path);
        } finally {
            arena.close();
        }
    }

    static void writeVocabulary(GgufWriter w, SentencePieceVocab v) {
        long[] types = new long[v.size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = v.types()[i].code();
        }
        w.putString(GgufKeys.TOKENIZER_MODEL, "llama");
        w.putStrings(GgufKeys.TOKENIZER_TOKENS, v.tokens());
        w.putFloats(GgufKeys.TOKENIZER_SCORES, v.scores());
        w.putInts(GgufKeys.TOKENIZER_TOKEN_TYPE, GgufValueType.INT32, types);
        w.putUInt32(GgufKeys.TOKENIZER_BOS_ID, v.bosId());
        w.putUInt32(GgufKeys.TOKENIZER_EOS_ID, v.eosId());
        w.putUInt32(GgufKeys.TOKENIZER_UNKNOWN_ID, v.unknownId());
        w.putUInt32(GgufKeys.TOKENIZER_PADDING_ID, v.paddingId());
        w.putBool(GgufKeys.TOKENIZER_ADD_BOS, v.addBos());
        w.putBool(GgufKeys.TOKENIZER_ADD_EOS, false);
        w.putBool(GgufKeys.TOKENIZER_ADD_SPACE_PREFIX, false);
    }

    /** A norm vector as GGUF stores it: 1 + w, w small. */
    private static void vector(GgufWriter w, Arena arena, SplittableRandom rnd, String name, int n) {
        MemorySegment s = arena.allocate(4L * n);
        for (int i = 0; i < n; i++) {
            s.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, (float) (1 + 0.2 * rnd.nextGaussian()));
        }
        w.addTensor(name, GgufTensorType.F32, new long[] {n}, s);
    }

    /** A (rows, cols) matrix of N(0, sigma) values in {@code type}. */
    private static void matrix(GgufWriter w, Arena arena, SplittableRandom rnd, String name, GgufTensorType type,
                               int rows, int cols, double sigma) {
        long elements = (long) rows * cols;
        MemorySegment s = arena.allocate(type.byteSize(elements));
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                row[j] = (float) (sigma * rnd.nextGaussian());
            }
            long at = type.byteSize((long) r * cols);
            switch (type) {
                case F32 -> MemorySegment.copy(row, 0, s, ValueLayout.JAVA_FLOAT_UNALIGNED, at, cols);
                case F16 -> {
                    for (int j = 0; j < cols; j++) {
                        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, at + 2L * j, Float.floatToFloat16(row[j]));
                    }
                }
                case BF16 -> {
                    for (int j = 0; j < cols; j++) {
                        int bits = Float.floatToRawIntBits(row[j]);
                        bits += 0x7FFF + ((bits >>> 16) & 1);
                        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, at + 2L * j, (short) (bits >>> 16));
                    }
                }
                case Q8_0 -> quantizeQ8_0(row, s, at);
                case Q4_0 -> quantizeQ4_0(row, s, at);
                default -> throw new IllegalArgumentException("cannot write random " + type + " weights");
            }
        }
        w.addTensor(name, type, new long[] {cols, rows}, s);
    }

    /** ggml {@code quantize_row_q8_0_ref}: d = max|x| / 127, q = round(x / d). */
    static void quantizeQ8_0(float[] x, MemorySegment out, long at) {
        for (int b = 0; b < x.length / 32; b++) {
            float amax = 0;
            for (int j = 0; j < 32; j++) {
                amax = Math.max(amax, Math.abs(x[b * 32 + j]));
            }
            float d = amax / 127f;
            float id = d != 0 ? 1f / d : 0f;
            long blk = at + 34L * b;
            out.set(ValueLayout.JAVA_SHORT_UNALIGNED, blk, Float.floatToFloat16(d));
            for (int j = 0; j < 32; j++) {
                out.set(ValueLayout.JAVA_BYTE, blk + 2 + j, (byte) Math.round(x[b * 32 + j] * id));
            }
        }
    }

    /** ggml {@code quantize_row_q4_0_ref}: d = (signed value of largest magnitude) / -8, q = x / d + 8.5 clamped to 15. */
    static void quantizeQ4_0(float[] x, MemorySegment out, long at) {
        for (int b = 0; b < x.length / 32; b++) {
            float amax = 0;
            float max = 0;
            for (int j = 0; j < 32; j++) {
                float v = x[b * 32 + j];
                if (Math.abs(v) > amax) {
                    amax = Math.abs(v);
                    max = v;
                }
            }
            float d = max / -8f;
            float id = d != 0 ? 1f / d : 0f;
            long blk = at + 18L * b;
            out.set(ValueLayout.JAVA_SHORT_UNALIGNED, blk, Float.floatToFloat16(d));
            for (int j = 0; j < 16; j++) {
                int lo = Math.min(15, (int) (x[b * 32 + j] * id + 8.5f));
                int hi = Math.min(15, (int) (x[b * 32 + 16 + j] * id + 8.5f));
                out.set(ValueLayout.JAVA_BYTE, blk + 2 + j, (byte) (lo | (hi << 4)));
            }
        }
    }
}
