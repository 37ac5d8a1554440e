package io.tessera.pipeline.vision;

import io.tessera.pipeline.gguf.GgufKeys;
import io.tessera.pipeline.gguf.GgufMetadata;

/**
 * What a vision encoder is (llama2.c's {@code Config}): a SigLIP ViT and its projector, read from
 * the {@code clip.*} keys of an mmproj file (spec/MODELS.md §2.1, §2.6).
 *
 * @param projector     projector type
 * @param imageSize     input side in pixels (896 for Gemma 3)
 * @param patchSize     patch side in pixels (14)
 * @param hidden        ViT width (1152)
 * @param ffn           MLP width (4304)
 * @param layers        encoder blocks (27)
 * @param heads         attention heads (16)
 * @param headDim       head width (72)
 * @param eps           LayerNorm epsilon, also the projector's RMSNorm epsilon (1e-6)
 * @param projectionDim width of the soft tokens: the text model's hidden size
 * @param merge         average-pooling factor per side (4: 64x64 patches -&gt; 16x16 tokens)
 * @param mean          per-channel normalisation mean
 * @param std           per-channel normalisation std
 */
public record VisionConfig(ProjectorType projector, int imageSize, int patchSize, int hidden, int ffn, int layers,
                           int heads, int headDim, float eps, int projectionDim, int merge, float[] mean,
                           float[] std) {

    public VisionConfig {
        if (imageSize <= 0 || patchSize <= 0 || hidden <= 0 || ffn <= 0 || layers <= 0 || heads <= 0 || headDim <= 0
                || projectionDim <= 0 || merge <= 0) {
            throw new IllegalArgumentException("vision sizes must be positive: image " + imageSize + ", patch "
                    + patchSize + ", width " + hidden + ", ffn " + ffn + ", layers " + layers + ", heads " + heads
                    + ", head_dim " + headDim + ", projection " + projectionDim + ", merge " + merge);
        }
        if (imageSize % patchSize != 0) {
            throw new IllegalArgumentException("image size " + imageSize + " is not a multiple of the patch size "
                    + patchSize);
        }
        if ((imageSize / patchSize) % merge != 0) {
            throw new IllegalArgumentException((imageSize / patchSize) + " patches per side do not pool by " + merge);
        }
        if (heads * headDim != hidden) {
            throw new IllegalArgumentException(heads + " heads of " + headDim + " do not make the width " + hidden);
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

    /** Patches per side (64). */
    public int patchesPerSide() {
        return imageSize / patchSize;
    }

    /** Patches per image (4096), the encoder's sequence length. */
    public int patches() {
        return patchesPerSide() * patchesPerSide();
    }

    /** Soft tokens per side after pooling (16). */
    public int tokensPerSide() {
        return patchesPerSide() / merge;
    }

    /** Soft tokens per image (256). */
    public int softTokens() {
        return tokensPerSide() * tokensPerSide();
    }

    /** Values of one flattened patch: 3 * patch * patch (588). */
    public int patchValues() {
        return 3 * patchSize * patchSize;
    }

    /** Floats of one preprocessed image [3][imageSize][imageSize]. */
    public int pixelValues() {
        return 3 * imageSize * imageSize;
    }

    public float attentionScale() {
        return (float) (1 / Math.sqrt(headDim));
    }

    /** Reads the configuration from the keys of an mmproj file. */
    public static VisionConfig fromGguf(String file, GgufMetadata m) {
        String arch = m.string(GgufKeys.ARCHITECTURE).orElse(null);
        if (!ClipKeys.ARCHITECTURE.equals(arch)) {
            throw new MmprojFormatException(file, "not an mmproj file: " + GgufKeys.ARCHITECTURE + " is "
                    + (arch == null ? "missing" : "'" + arch + "'") + ", expected '" + ClipKeys.ARCHITECTURE + "'");
        }
        if (!m.bool(ClipKeys.HAS_VISION_ENCODER).orElse(false)) {
            throw new MmprojFormatException(file, "the file has no vision encoder (" + ClipKeys.HAS_VISION_ENCODER
                    + " is not true)");
        }
        String type = m.string(ClipKeys.VISION_PROJECTOR_TYPE).or(() -> m.string(ClipKeys.PROJECTOR_TYPE))
                .orElseThrow(() -> missing(file, ClipKeys.PROJECTOR_TYPE));
        ProjectorType projector = ProjectorType.fromGguf(file, type);
        boolean gelu = m.bool(ClipKeys.USE_GELU).orElse(false);
        boolean silu = m.bool(ClipKeys.USE_SILU).orElse(false);
        if (!gelu || silu) {
            throw new MmprojFormatException(file, "projector " + type + " needs tanh-GELU MLPs (" + ClipKeys.USE_GELU
                    + " = true); this file asks for " + (silu ? "SiLU" : "quick-GELU"));
        }
        int hidden = integer(file, m, ClipKeys.EMBEDDING_LENGTH);
        int heads = integer(file, m, ClipKeys.HEAD_COUNT);
        int kvHeads = (int) m.integer(ClipKeys.HEAD_COUNT_KV).orElse(heads);
        if (kvHeads != heads) {
            throw new MmprojFormatException(file, ClipKeys.HEAD_COUNT_KV + " = " + kvHeads + " differs from "
                    + ClipKeys.HEAD_COUNT + " = " + heads + ": grouped-query vision attention is not supported");
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
            return new VisionConfig(projector, integer(file, m, ClipKeys.IMAGE_SIZE),
                    integer(file, m, ClipKeys.PATCH_SIZE), hidden, integer(file, m, ClipKeys.FEED_FORWARD_LENGTH),
                    integer(file, m, ClipKeys.BLOCK_COUNT), heads, headDim, (float) eps,
                    integer(file, m, ClipKeys.PROJECTION_DIM), (int) m.integer(ClipKeys.PROJECTOR_SCALE_FACTOR).orElse(4),
                    new float[] {mean[0], mean[1], mean[2]}, new float[] {std[0], std[1], std[2]});
        } catch (IllegalArgumentException e) {
            throw new MmprojFormatException(file, e.getMessage());
        }
    }

    private static int integer(String file, GgufMetadata m, String key) {
        long v = m.integer(key).orElseThrow(() -> missing(file, key));
        if (v <= 0 || v > Integer.MAX_VALUE) {
            throw new MmprojFormatException(file, "key " + key + " = " + v + " is out of range");
        }
        return (int) v;
    }

    private static MmprojFormatException missing(String file, String key) {
        return new MmprojFormatException(file, "missing key " + key + " (architecture " + ClipKeys.ARCHITECTURE + ")");
    }
}
