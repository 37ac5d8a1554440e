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

    /** Optional (false when absent): whether the file holds an audio encoder. */
    public static final String HAS_AUDIO_ENCODER = "clip.has_audio_encoder";
    /** Optional: the audio projector of a file with several modalities; wins over {@link #PROJECTOR_TYPE}. */
    public static final String AUDIO_PROJECTOR_TYPE = "clip.audio.projector_type";
    /**
     * Mel bins of the features the audio encoder takes; for the encoder-free {@code gemma4ua} the
     * samples per frame (llama.cpp clip.cpp sets 640 whatever the file says).
     */
    public static final String AUDIO_NUM_MEL_BINS = "clip.audio.num_mel_bins";
    /** Audio encoder keys that llama.cpp requires of every audio file (clip.cpp load_hparams). */
    public static final String AUDIO_EMBEDDING_LENGTH = "clip.audio.embedding_length";
    public static final String AUDIO_FEED_FORWARD_LENGTH = "clip.audio.feed_forward_length";
    public static final String AUDIO_BLOCK_COUNT = "clip.audio.block_count";
    public static final String AUDIO_HEAD_COUNT = "clip.audio.attention.head_count";
    public static final String AUDIO_LAYER_NORM_EPSILON = "clip.audio.attention.layer_norm_epsilon";
    /** The width the audio projector maps into: the text model's hidden size. */
    public static final String AUDIO_PROJECTION_DIM = "clip.audio.projection_dim";

    private ClipKeys() {
    }
}
