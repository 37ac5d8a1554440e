package io.tessera.pipeline.vision;

import io.tessera.pipeline.gguf.GgufKeys;
import io.tessera.pipeline.gguf.GgufMetadata;

/**
 * What a Gemma 4 vision projector is, read from the {@code clip.*} keys of an mmproj file
 * (spec/MODELS.md §4.2; llama.cpp {@code clip.cpp} hparams for {@code gemma4v}/{@code gemma4uv}).
 * Images keep their aspect ratio: each side is a multiple of {@link #unit()} pixels, and every
 * unit x unit square becomes one soft token, so the token count varies per image.
 *
 * @param kind          the encoder tower ({@code gemma4v}) or the encoder-free embedder ({@code gemma4uv})
 * @param patchSize     patch side of the file (16)
 * @param merge         pooling window per side (3, {@code clip.vision.projector.scale_factor} when present);
 *                      the encoder-free form instead cuts patches of patchSize * merge
 * @param hidden        encoder width (768 for the E models; the embedder width for gemma4uv)
 * @param ffn           MLP width (0 for gemma4uv)
 * @param layers        encoder blocks (0 for gemma4uv)
 * @param heads         attention heads (0 for gemma4uv)
 * @param headDim       head width (0 for gemma4uv)
 * @param eps           RMSNorm epsilon (1e-6)
 * @param projectionDim width of the soft tokens: the text model's hidden size
 * @param mean          per-channel normalisation mean (0 for Gemma 4: pixels in [0, 1])
 * @param std           per-channel normalisation std (1)
 */
public record Gemma4VisionConfig(Kind kind, int patchSize, int merge, int hidden, int ffn, int layers, int heads,
                                 int headDim, float eps, int projectionDim, float[] mean, float[] std) {
    /** 2-D RoPE base of the vision attention (llama.cpp {@code rope_theta = 100} for gemma4v). */
    public static final float ROPE_THETA = 100f;
    /** LayerNorm epsilon of the encoder-free embedder's norms (PyTorch's LayerNorm default, gemma4uv.cpp). */
    public static final float EMBEDDER_LAYER_NORM_EPS = 1e-5f;

    /** The two Gemma 4 vision projector types of {@code clip.projector_type}. */
    public enum Kind {
        /** SigLIP-like tower with 2-D RoPE, 3x3 pooling and clipped linears (llama.cpp gemma4v.cpp). */
        ENCODER("gemma4v"),
        /** Patches of 48 px projected straight into the decoder width (llama.cpp gemma4uv.cpp). */
        UNIFIED("gemma4uv");

        private final String ggufName;

        Kind(String ggufName) {
            this.ggufName = ggufName;
        }

        public String ggufName() {
            return ggufName;
        }

        /** The kind named {@code name}, or null when it is not a Gemma 4 vision projector. */
        public static Kind fromGguf(String name) {
            for (Kind k : values()) {
                if (k.ggufName.equals(name)) {
                    return k;
                }
            }
            return null;
        }
    }

    public Gemma4VisionConfig {
        if (patchSize <= 0 || merge <= 0 || hidden <= 0 || projectionDim <= 0) {
            throw new IllegalArgumentException("vision sizes must be positive: patch " + patchSize + ", merge " + merge
                    + ", width " + hidden + ", projection " + projectionDim);
        }
        if (kind == Kind.ENCODER) {
            if (ffn <= 0 || layers <= 0 || heads <= 0 || headDim <= 0) {
                throw new IllegalArgumentException("a gemma4v encoder needs positive sizes: ffn " + ffn + ", layers "
                        + layers + ", heads " + heads + ", head_dim " + headDim);
            }
            if (heads * headDim != hidden) {
                throw new IllegalArgumentException(heads + " heads of " + headDim + " do not make the width " + hidden);
            }
            if (headDim % 4 != 0) {
                throw new IllegalArgumentException("the 2-D RoPE splits each head in four; head_dim " + headDim
                        + " is not a multiple of 4");
            }
        }
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("image mean and std need 3 values each");
        }
        mean = mean.clone();
        std = std.clone();
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    /** Pixels per side of one soft token: patchSize * merge (48). Image sides must be multiples of it. */
    public int unit() {
        return patchSize * merge;
    }

    /** Side of the patches the first layer sees: patchSize for the tower, unit() for the embedder. */
    public int encoderPatch() {
        return kind == Kind.UNIFIED ? unit() : patchSize;
    }

    /** Pooling window per side after the encoder: merge for the tower, 1 for the embedder. */
    public int pool() {
        return kind == Kind.UNIFIED ? 1 : merge;
    }

    /** Values of one flattened encoder patch: 3 * p * p. */
    public int patchValues() {
        return 3 * encoderPatch() * encoderPatch();
    }

    /** Soft tokens of an image of {@code width x height} pixels (multiples of {@link #unit()}). */
    public int softTokens(int width, int height) {
        return (width / unit()) * (height / unit());
    }

    /** Reads the configuration of a gemma4v / gemma4uv projector from an mmproj file's keys. */
    public static Gemma4VisionConfig fromGguf(String file, GgufMetadata m) {
        String arch = m.string(GgufKeys.ARCHITECTURE).orElse(null);
        if (!ClipKeys.ARCHITECTURE.equals(arch)) {
            throw new MmprojFormatException(file, "not an mmproj file: " + GgufKeys.ARCHITECTURE + " is "
                    + (arch == null ? "missing" : "'" + arch + "'") + ", expected '" + ClipKeys.ARCHITECTURE + "'");
        }
        if (!m.bool(ClipKeys.HAS_VISION_ENCODER).orElse(false)) {
            throw new MmprojFormatException(file, "the file has no vision encoder (" + ClipKeys.HAS_VISION_ENCODER
                    + " is not true)");
        }
        // a file with vision and audio names each projector in its own key (the Gemma 4 converter)
        String type = m.string(ClipKeys.VISION_PROJECTOR_TYPE).or(() -> m.string(ClipKeys.PROJECTOR_TYPE))
                .orElseThrow(() -> missing(file, ClipKeys.PROJECTOR_TYPE));
        Kind kind = Kind.fromGguf(type);
        if (kind == null) {
            throw new MmprojFormatException(file, "projector type '" + type + "' is not a Gemma 4 vision projector ("
                    + Kind.ENCODER.ggufName() + ", " + Kind.UNIFIED.ggufName() + ")");
        }
        int hidden = positive(file, m, ClipKeys.EMBEDDING_LENGTH);
        int layers = nonNegative(file, m, ClipKeys.BLOCK_COUNT);
        int heads = nonNegative(file, m, ClipKeys.HEAD_COUNT);
        int ffn = nonNegative(file, m, ClipKeys.FEED_FORWARD_LENGTH);
        if (kind == Kind.ENCODER) {
            boolean gelu = m.bool(ClipKeys.USE_GELU).orElse(false);
            boolean silu = m.bool(ClipKeys.USE_SILU).orElse(false);
            if (!gelu || silu) {
                throw new MmprojFormatException(file, "projector " + type + " needs tanh-GELU MLPs ("
                        + ClipKeys.USE_GELU + " = true); this file asks for " + (silu ? "SiLU" : "quick-GELU"));
            }
            int kvHeads = (int) m.integer(ClipKeys.HEAD_COUNT_KV).orElse(heads);
            if (kvHeads != heads) {
                throw new MmprojFormatException(file, ClipKeys.HEAD_COUNT_KV + " = " + kvHeads + " differs from "
                        + ClipKeys.HEAD_COUNT + " = " + heads + ": grouped-query vision attention is not supported");
            }
        }
        int headDim = (int) m.integer(ClipKeys.HEAD_DIM).orElse(heads > 0 ? hidden / heads : 0);
        float[] mean = m.floatArray(ClipKeys.IMAGE_MEAN).orElseThrow(() -> missing(file, ClipKeys.IMAGE_MEAN));
        float[] std = m.floatArray(ClipKeys.IMAGE_STD).orElseThrow(() -> missing(file, ClipKeys.IMAGE_STD));
        if (mean.length < 3 || std.length < 3) {
            throw new MmprojFormatException(file, ClipKeys.IMAGE_MEAN + " and " + ClipKeys.IMAGE_STD
                    + " need 3 values each, not " + mean.length + " and " + std.length);
        }
        double eps = m.number(ClipKeys.LAYER_NORM_EPSILON).orElseThrow(() -> missing(file,
                ClipKeys.LAYER_NORM_EPSILON));
        try {
            return new Gemma4VisionConfig(kind, positive(file, m, ClipKeys.PATCH_SIZE),
                    (int) m.integer(ClipKeys.PROJECTOR_SCALE_FACTOR).orElse(3), hidden, ffn, layers, heads, headDim,
                    (float) eps, positive(file, m, ClipKeys.PROJECTION_DIM), new float[] {mean[0], mean[1], mean[2]},
                    new float[] {std[0], std[1], std[2]});
        } catch (IllegalArgumentException e) {
            throw new MmprojFormatException(file, e.getMessage());
        }
    }

    private static int positive(String file, GgufMetadata m, String key) {
        int v = nonNegative(file, m, key);
        if (v == 0) {
            throw new MmprojFormatException(file, "key " + key + " = 0 is out of range");
        }
        return v;
    }

    private static int nonNegative(String file, GgufMetadata m, String key) {
        long v = m.integer(key).orElseThrow(() -> missing(file, key));
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new MmprojFormatException(file, "key " + key + " = " + v + " is out of range");
        }
        return (int) v;
    }

    private static MmprojFormatException missing(String file, String key) {
        return new MmprojFormatException(file, "missing key " + key + " (architecture " + ClipKeys.ARCHITECTURE + ")");
    }
}
