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
import io.tessera.pipeline.gguf.GgufValue;
import io.tessera.pipeline.gguf.GgufValueType;
import io.tessera.pipeline.gguf.GgufWriter;
import io.tessera.tokenizer.SentencePieceVocab;
import io.tessera.tokenizer.TokenType;

/**
 * Writes a Gemma-family GGUF file with seeded random weights in the real layout (keys and tensor
 * names of spec/MODELS.md §1.6 and, for Gemma 4, of llama.cpp's converter; norms hold multipliers
 * around 1, as GGUF stores them), with a SentencePiece
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
 * @param gemma4         the Gemma 4 layout ({@code heads}, {@code kvHeads}, {@code headDim} then describe
 *                       the sliding layers), or null for Gemma 1-3
 */
public record RandomGemmaFile(Architecture architecture, int layers, int hidden, int ffn, int heads, int kvHeads,
                              int headDim, int vocab, int window, int context, GgufTensorType matrixType,
                              GgufTensorType embeddingType, float ropeBase, float ropeFactor, float attnSoftcap,
                              float finalSoftcap, long seed, Gemma4Layout gemma4) {

    /**
     * What a Gemma 4 file has beyond the common shape (spec/MODELS.md §4.2; llama.cpp
     * {@code conversion/gemma.py} {@code Gemma4Model}).
     *
     * @param period         layer i is global iff i % period == period - 1 (E2B: 5)
     * @param globalHeadDim  head size of global layers ({@code key_length}; sliding: {@code key_length_swa})
     * @param globalKvHeads  kv heads of global layers ({@code head_count_kv} per layer)
     * @param rotaryFraction fraction of a global head that rotates (proportional RoPE: 0.25), as
     *                       frequency factors 1 then 1e30 in {@code rope_freqs}
     * @param swaRopeBase    {@code rope.freq_base_swa}
     * @param sharedKvLayers last layers that read an earlier layer's cache ({@code shared_kv_layers})
     * @param perLayerInput  per-layer input width (0: none)
     * @param kEqV           global layers have no {@code attn_v} (values = the keys' projection)
     * @param outScale       every layer has a {@code layer_output_scale}
     * @param doubleWideMlp  the KV-sharing layers have twice the feed-forward width ({@code use_double_wide_mlp};
     *                       {@code feed_forward_length} becomes one value per layer)
     * @param experts        routed experts in every layer beside its dense MLP (26B-A4B), or null
     */
    public record Gemma4Layout(int period, int globalHeadDim, int globalKvHeads, float rotaryFraction,
                               float swaRopeBase, int sharedKvLayers, int perLayerInput, boolean kEqV,
                               boolean outScale, boolean doubleWideMlp, RandomExperts experts) {
        /** A layout without experts. */
        public Gemma4Layout(int period, int globalHeadDim, int globalKvHeads, float rotaryFraction,
                            float swaRopeBase, int sharedKvLayers, int perLayerInput, boolean kEqV,
                            boolean outScale, boolean doubleWideMlp) {
            this(period, globalHeadDim, globalKvHeads, rotaryFraction, swaRopeBase, sharedKvLayers, perLayerInput,
                    kEqV, outScale, doubleWideMlp, null);
        }

        public boolean local(int layer) {
            return layer % period != period - 1;
        }
    }

    /** A Gemma 1-3 file. */
    public RandomGemmaFile(Architecture architecture, int layers, int hidden, int ffn, int heads, int kvHeads,
                           int headDim, int vocab, int window, int context, GgufTensorType matrixType,
                           GgufTensorType embeddingType, float ropeBase, float ropeFactor, float attnSoftcap,
                           float finalSoftcap, long seed) {
        this(architecture, layers, hidden, ffn, heads, kvHeads, headDim, vocab, window, context, matrixType,
                embeddingType, ropeBase, ropeFactor, attnSoftcap, finalSoftcap, seed, null);
    }

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
                type, type, ropeBase, ropeFactor, attnSoftcap, finalSoftcap, seed, gemma4);
    }

    /**
     * The Gemma 4 E2B text shape (35 layers, hidden 1536, 8 heads, 1 kv head, head size 256 sliding /
     * 512 global, window 512, one global layer in 5, 20 KV-shared layers, per-layer inputs 256,
     * ffn 6144, vocab 262144; spec/MODELS.md §4.2), without the double-wide MLP of its shared layers.
     */
    public static RandomGemmaFile gemma4_e2b(GgufTensorType type, long seed) {
        return new RandomGemmaFile(Architecture.GEMMA4, 35, 1536, 6144, 8, 1, 256, 262_144, 512, 32_768, type, type,
                1_000_000f, 1f, 0f, 30f, seed, new Gemma4Layout(5, 512, 1, 0.25f, 10_000f, 20, 256, false, true,
                        false));
    }

    private boolean ownsKv(int layer) {
        return gemma4 == null || layer < layers - gemma4.sharedKvLayers();
    }

    private boolean local(int layer) {
        return gemma4 != null ? gemma4.local(layer) : window > 0 && architecture.isLocalLayer(layer);
    }

    private int headDim(int layer) {
        return gemma4 != null && !gemma4.local(layer) ? gemma4.globalHeadDim() : headDim;
    }

    private int ffn(int layer) {
        return gemma4 != null && gemma4.doubleWideMlp() && !ownsKv(layer) ? 2 * ffn : ffn;
    }

    private int kvHeads(int layer) {
        return gemma4 != null && !gemma4.local(layer) ? gemma4.globalKvHeads() : kvHeads;
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
        if (gemma4 != null && gemma4.doubleWideMlp()) {
            long[] widths = new long[layers];
            for (int i = 0; i < layers; i++) {
                widths[i] = ffn(i);
            }
            w.putInts(GgufKeys.feedForwardLength(a), GgufValueType.INT32, widths);
        } else {
            w.putUInt32(GgufKeys.feedForwardLength(a), ffn);
        }
        w.putUInt32(GgufKeys.headCount(a), heads);
        if (gemma4 == null) {
            w.putUInt32(GgufKeys.headCountKv(a), kvHeads);
            w.putUInt32(GgufKeys.keyLength(a), headDim);
            w.putUInt32(GgufKeys.valueLength(a), headDim);
        } else {
            long[] kv = new long[layers];
            boolean[] pattern = new boolean[layers];
            for (int i = 0; i < layers; i++) {
                kv[i] = kvHeads(i);
                pattern[i] = gemma4.local(i);
            }
            w.putInts(GgufKeys.headCountKv(a), GgufValueType.INT32, kv);
            w.put(GgufKeys.slidingWindowPattern(a), new GgufValue.Array(GgufValueType.BOOL, pattern));
            w.putUInt32(GgufKeys.keyLength(a), gemma4.globalHeadDim());
            w.putUInt32(GgufKeys.valueLength(a), gemma4.globalHeadDim());
            w.putUInt32(GgufKeys.keyLengthSwa(a), headDim);
            w.putUInt32(GgufKeys.valueLengthSwa(a), headDim);
            w.putUInt32(GgufKeys.ropeDimensionCount(a), gemma4.globalHeadDim());
            w.putUInt32(GgufKeys.ropeDimensionCountSwa(a), headDim);
            w.putFloat32(GgufKeys.ropeFreqBaseSwa(a), gemma4.swaRopeBase());
            w.putUInt32(GgufKeys.sharedKvLayers(a), gemma4.sharedKvLayers());
            w.putUInt32(GgufKeys.embeddingLengthPerLayerInput(a), gemma4.perLayerInput());
        }
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
        RandomExperts experts = gemma4 != null ? gemma4.experts() : null;
        if (experts != null) {
            experts.writeKeys(w, a);
        }

        SplittableRandom rnd = new SplittableRandom(seed);
        Arena arena = Arena.ofShared();
        try {
            matrix(w, arena, rnd, TensorNames.TOKEN_EMBEDDING, embeddingType, vocab, hidden, 2.0 / Math.sqrt(hidden));
            vector(w, arena, rnd, TensorNames.OUTPUT_NORM, hidden);
            int pl = gemma4 == null ? 0 : gemma4.perLayerInput();
            if (gemma4 != null) {
                int pairs = gemma4.globalHeadDim() / 2;
                int rotated = (int) (gemma4.globalHeadDim() * gemma4.rotaryFraction() / 2);
                MemorySegment f = arena.allocate(4L * pairs);
                for (int i = 0; i < pairs; i++) {
                    f.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, i < rotated ? 1f : 1e30f);
                }
                w.addTensor(TensorNames.ROPE_FREQS, GgufTensorType.F32, new long[] {pairs}, f);
            }
            if (pl > 0) {
                matrix(w, arena, rnd, TensorNames.PER_LAYER_TOKEN_EMBEDDING, embeddingType, vocab, layers * pl,
                        1 / Math.sqrt(pl));
                matrix(w, arena, rnd, TensorNames.PER_LAYER_MODEL_PROJECTION, matrixType, layers * pl, hidden,
                        1 / Math.sqrt(hidden));
                vector(w, arena, rnd, TensorNames.PER_LAYER_PROJECTION_NORM, pl);
            }
            for (int i = 0; i < layers; i++) {
                int hd = headDim(i);
                int kvDim = kvHeads(i) * hd;
                vector(w, arena, rnd, TensorNames.attnNorm(i), hidden);
                matrix(w, arena, rnd, TensorNames.attnQ(i), matrixType, heads * hd, hidden, 1 / Math.sqrt(hidden));
                if (ownsKv(i)) {
                    matrix(w, arena, rnd, TensorNames.attnK(i), matrixType, kvDim, hidden, 1 / Math.sqrt(hidden));
                    if (gemma4 == null || !gemma4.kEqV() || local(i)) {
                        matrix(w, arena, rnd, TensorNames.attnV(i), matrixType, kvDim, hidden, 1 / Math.sqrt(hidden));
                    }
                }
                if (architecture.qkNorm()) {
                    // without query pre-scaling (Gemma 4: attention scale 1) norms around hd^-1/4 give
                    // q.k the spread that 1/sqrt(hd) gives Gemma 1-3, rather than a near one-hot softmax
                    double qk = Float.isNaN(architecture.fixedAttentionScale()) ? 1 : Math.pow(hd, -0.25);
                    vector(w, arena, rnd, TensorNames.attnQNorm(i), hd, qk);
                    if (ownsKv(i)) {
                        vector(w, arena, rnd, TensorNames.attnKNorm(i), hd, qk);
                    }
                }
                matrix(w, arena, rnd, TensorNames.attnOutput(i), matrixType, hidden, heads * hd,
                        1 / Math.sqrt(heads * hd));
                if (architecture.postNorms()) {
                    vector(w, arena, rnd, TensorNames.postAttentionNorm(i), hidden);
                }
                vector(w, arena, rnd, TensorNames.ffnNorm(i), hidden);
                int f = ffn(i);
                matrix(w, arena, rnd, TensorNames.ffnGate(i), matrixType, f, hidden, 1 / Math.sqrt(hidden));
                matrix(w, arena, rnd, TensorNames.ffnUp(i), matrixType, f, hidden, 1 / Math.sqrt(hidden));
                matrix(w, arena, rnd, TensorNames.ffnDown(i), matrixType, hidden, f, 1 / Math.sqrt(f));
                if (architecture.postNorms()) {
                    vector(w, arena, rnd, TensorNames.postFfwNorm(i), hidden);
                }
                if (pl > 0) {
                    matrix(w, arena, rnd, TensorNames.perLayerInputGate(i), matrixType, pl, hidden,
                            1 / Math.sqrt(hidden));
                    matrix(w, arena, rnd, TensorNames.perLayerProjection(i), matrixType, hidden, pl,
                            1 / Math.sqrt(pl));
                    vector(w, arena, rnd, TensorNames.perLayerPostNorm(i), hidden);
                }
                if (gemma4 != null && gemma4.outScale()) {
                    vector(w, arena, rnd, TensorNames.layerOutputScale(i), 1);
                }
            }
            if (experts != null) {
                // a stream of their own, so that the other weights are those of the file without experts
                SplittableRandom er = new SplittableRandom(seed ^ 0x6d6f65L);
                for (int i = 0; i < layers; i++) {
                    experts.writeLayer(w, arena, er, i, hidden, matrixType);
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
        vector(w, arena, rnd, name, n, 1);
    }

    /** A norm vector of multipliers around {@code mean}: mean * (1 + w), w small. */
    private static void vector(GgufWriter w, Arena arena, SplittableRandom rnd, String name, int n, double mean) {
        MemorySegment s = arena.allocate(4L * n);
        for (int i = 0; i < n; i++) {
            s.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, (float) (mean * (1 + 0.2 * rnd.nextGaussian())));
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
