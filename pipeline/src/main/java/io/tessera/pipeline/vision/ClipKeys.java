package io.tessera.pipeline.vision;

/**
 * The metadata keys of a llama.cpp {@code mmproj} GGUF file (tools/mtmd {@code clip-impl.h};
 * spec/MODELS.md §2.6), in one table. Required for a vision encoder unless marked optional.
 */
public final class ClipKeys {
    /** The value of {@code general.architecture} in every mmproj file ("dummy arch for clip.cpp"). */
    public static final String ARCHITECTURE = "clip";

    public static final String PROJECTOR_TYPE = "clip.projector_type";
    /** Optional: the vision projector of a file with several modalities; wins over {@link #PROJECTOR_TYPE}. */
    public static final String VISION_PROJECTOR_TYPE = "clip.vision.projector_type";
    /** Optional (llama.cpp reads it as false when absent): whether the file holds a vision encoder. */
    public static final String HAS_VISION_ENCODER = "clip.has_vision_encoder";
    /** Optional: tanh-GELU MLPs (SigLIP); neither this nor {@link #USE_SILU} means quick-GELU. */
    public static final String USE_GELU = "clip.use_gelu";
    /** Optional: SiLU MLPs. */
    public static final String USE_SILU = "clip.use_silu";

    public static final String IMAGE_SIZE = "clip.vision.image_size";
    public static final String PATCH_SIZE = "clip.vision.patch_size";
    public static final String EMBEDDING_LENGTH = "clip.vision.embedding_length";
    public static final String FEED_FORWARD_LENGTH = "clip.vision.feed_forward_length";
    public static final String BLOCK_COUNT = "clip.vision.block_count";
    public static final String HEAD_COUNT = "clip.vision.attention.head_count";
    /** Optional: must equal {@link #HEAD_COUNT} when present (no grouped-query vision attention here). */
    public static final String HEAD_COUNT_KV = "clip.vision.attention.head_count_kv";
    /** Optional: head width; embedding_length / head_count when absent. */
    public static final String HEAD_DIM = "clip.vision.attention.head_dim";
    public static final String LAYER_NORM_EPSILON = "clip.vision.attention.layer_norm_epsilon";
    /** The width the projector maps into: the text model's hidden size. */
    public static final String PROJECTION_DIM = "clip.vision.projection_dim";
    public static final String IMAGE_MEAN = "clip.vision.image_mean";
    public static final String IMAGE_STD = "clip.vision.image_std";
    /** Optional: the pooling factor of the Gemma 3 projector per side (4 when absent). */
    public static final String PROJECTOR_SCALE_FACTOR = "clip.vision.projector.scale_factor";

    private ClipKeys() {
    }
}
