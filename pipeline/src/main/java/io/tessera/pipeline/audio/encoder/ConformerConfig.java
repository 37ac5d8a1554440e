package io.tessera.pipeline.audio.encoder;

import java.util.Arrays;

import io.tessera.pipeline.gguf.GgufFile;
import io.tessera.pipeline.gguf.GgufTensorInfo;
import io.tessera.pipeline.vision.ClipKeys;
import io.tessera.pipeline.vision.Mmproj;
import io.tessera.pipeline.vision.MmprojFormatException;

/**
 * What the Gemma 4 audio conformer is (projector {@code gemma4a}; spec/MODELS.md §4.2, llama.cpp
 * {@code tools/mtmd/models/gemma4a.cpp}), from the {@code clip.audio.*} keys of an mmproj file and,
 * for the sizes that have no key, the shapes of its tensors.
 *
 * @param melBins          log-mel bins of the input ({@code clip.audio.num_mel_bins}, 128)
 * @param subsampleChannels output channels of the two stride-2 convolutions (128, 32)
 * @param hidden           conformer width (1024)
 * @param ffn              feed-forward width (4096)
 * @param layers           conformer blocks (12)
 * @param heads            attention heads (8)
 * @param convKernel       depthwise causal convolution width (5)
 * @param outputDim        width of the encoder's output projection (1536)
 * @param projectionDim    width of the soft tokens: the text model's hidden size
 * @param eps              every norm's epsilon: 1e-6, fixed by llama.cpp whatever the file says
 *                         (clip.cpp: "all gemma4a models use 1e-6")
 */
public record ConformerConfig(int melBins, int[] subsampleChannels, int hidden, int ffn, int layers, int heads,
                              int convKernel, int outputDim, int projectionDim, float eps) {
    public static final String PROJECTOR = "gemma4a";
    /** Queries per attention block (gemma4a.cpp {@code C}). */
    public static final int CHUNK = 12;
    /** Keys before a block that it may see, and the window of each query ({@code P} = context_left - 1). */
    public static final int MAX_PAST = 12;
    /** Attention logit soft cap. */
    public static final float SOFTCAP = 50f;
    /** Weight of each half-step feed-forward residual. */
    public static final float RESIDUAL_WEIGHT = 0.5f;
    /** Timescales of the sinusoidal relative-position signal run from 1 to this. */
    public static final double MAX_TIMESCALE = 1e4;

    public ConformerConfig {
        if (melBins <= 0 || hidden <= 0 || ffn <= 0 || layers <= 0 || heads <= 0 || convKernel <= 0 || outputDim <= 0
                || projectionDim <= 0 || subsampleChannels.length != 2 || subsampleChannels[0] <= 0
                || subsampleChannels[1] <= 0) {
            throw new IllegalArgumentException("conformer sizes must be positive: mel bins " + melBins
                    + ", subsampling channels " + Arrays.toString(subsampleChannels) + ", width " + hidden + ", ffn "
                    + ffn + ", layers " + layers + ", heads " + heads + ", conv kernel " + convKernel + ", output "
                    + outputDim + ", projection " + projectionDim);
        }
        if (hidden % heads != 0) {
            throw new IllegalArgumentException(heads + " heads do not divide the width " + hidden);
        }
        if (hidden % 2 != 0) {
            throw new IllegalArgumentException("the sinusoidal position signal needs an even width, not " + hidden);
        }
        subsampleChannels = subsampleChannels.clone();
    }

    @Override
    public int[] subsampleChannels() {
        return subsampleChannels.clone();
    }

    public int headDim() {
        return hidden / heads;
    }

    /** Length after one 3x3 stride-2 convolution with padding 1: floor((n - 1) / 2) + 1 (clip.cpp). */
    public static int halved(int n) {
        return (n - 1) / 2 + 1;
    }

    /** Mel bins left after both convolutions (32). */
    public int subsampledMels() {
        return halved(halved(melBins));
    }

    /** Features of one frame after subsampling, the input projection's width: M' * C1. */
    public int subsampledFeatures() {
        return subsampledMels() * subsampleChannels[1];
    }

    /** Soft tokens of {@code frames} log-mel frames (4 frames of 10 ms: 40 ms per token). */
    public static int tokens(int frames) {
        return halved(halved(frames));
    }

    /** Query scale: 1/sqrt(d) / softplus(0) (gemma4a.cpp {@code q_scale}). */
    public float queryScale() {
        return (float) (1 / Math.sqrt(headDim()) / Math.log(2));
    }

    /** Key scale: softplus(1) / softplus(0) (gemma4a.cpp {@code k_scale}). */
    public static float keyScale() {
        return (float) (Math.log1p(Math.E) / Math.log(2));
    }

    /**
     * The conformer of {@code mmproj}'s audio part: sizes from its {@code clip.audio.*} keys
     * ({@link AudioConfig}, which has checked the mel bins against the Gemma 4 feature extractor),
     * and from tensor shapes those that have no key.
     */
    public static ConformerConfig from(Mmproj mmproj) {
        String path = mmproj.path().toString();
        AudioConfig a = mmproj.audio();
        if (a.projector() != AudioProjectorType.GEMMA4A) {
            throw new MmprojFormatException(path, "audio projector " + a.projector().ggufName() + " is not the "
                    + PROJECTOR + " conformer");
        }
        require(path, a.hidden(), ClipKeys.AUDIO_EMBEDDING_LENGTH);
        require(path, a.ffn(), ClipKeys.AUDIO_FEED_FORWARD_LENGTH);
        require(path, a.layers(), ClipKeys.AUDIO_BLOCK_COUNT);
        require(path, a.heads(), ClipKeys.AUDIO_HEAD_COUNT);
        GgufFile file = mmproj.gguf();
        int c0 = (int) dims(file, ConformerTensorNames.subsampleConv(0))[3];
        int c1 = (int) dims(file, ConformerTensorNames.subsampleConv(1))[3];
        long[] dw = dims(file, ConformerTensorNames.convDepthwise(0));
        long[] out = dims(file, ConformerTensorNames.OUTPUT_PROJECTION);
        long[] proj = dims(file, ConformerTensorNames.MM_INPUT_PROJECTION);
        if (a.projectionDim() != 0 && a.projectionDim() != proj[1]) {
            throw new MmprojFormatException(path, "tensor " + ConformerTensorNames.MM_INPUT_PROJECTION
                    + " maps into width " + proj[1] + " but " + ClipKeys.AUDIO_PROJECTION_DIM + " is "
                    + a.projectionDim());
        }
        try {
            return new ConformerConfig(a.melBins(), new int[] {c0, c1}, a.hidden(), a.ffn(), a.layers(), a.heads(),
                    (int) dw[0], (int) out[1], (int) proj[1], 1e-6f);
        } catch (IllegalArgumentException e) {
            throw new MmprojFormatException(path, e.getMessage() + " (audio projector " + PROJECTOR + ")");
        }
    }

    private static void require(String file, int value, String key) {
        if (value <= 0) {
            throw new MmprojFormatException(file, "missing key " + key + " (audio projector " + PROJECTOR + ")");
        }
    }

    /** The dims of a required 2-D (or, for the convolutions, 4-D) tensor. */
    private static long[] dims(GgufFile file, String name) {
        GgufTensorInfo t = file.tensor(name).orElseThrow(() -> new MmprojFormatException(file.path().toString(),
                "missing tensor " + name + " (projector " + PROJECTOR + ")"));
        long[] d = Arrays.copyOf(t.dims(), 4);
        for (int i = t.rank(); i < 4; i++) {
            d[i] = 1;
        }
        for (long v : d) {
            if (v <= 0 || v > Integer.MAX_VALUE) {
                throw new MmprojFormatException(file.path().toString(), "tensor " + name + " has shape "
                        + Arrays.toString(t.dims()));
            }
        }
        return d;
    }
}
