package io.tessera.pipeline.audio.encoder;

import io.tessera.pipeline.model.ClippedLinear;
import io.tessera.pipeline.model.Weight;
import io.tessera.tasks.api.FloatArray;

/**
 * One conformer block's weights (D = width, F = feed-forward width, d = head width, K = light-conv
 * kernel). Names in {@link ConformerTensorNames}.
 *
 * @param ffnNorm       (D)
 * @param ffnUp         (F, D)
 * @param ffnDown       (D, F)
 * @param ffnPostNorm   (D)
 * @param attnPreNorm   (D)
 * @param q             (D, D)
 * @param k             (D, D)
 * @param v             (D, D)
 * @param kRel          (D, D): projects the relative-position signal (H * d = D)
 * @param perDimScale   (d)
 * @param perDimKScale  (d)
 * @param attnOut       (D, D)
 * @param attnOutBias   (D), null when absent
 * @param attnPostNorm  (D)
 * @param convPreNorm   (D)
 * @param pointwise1    (2D, D)
 * @param depthwise     (D, K)
 * @param depthwiseBias (D), null when absent
 * @param convNorm      (D)
 * @param pointwise2    (D, D)
 * @param ffn2Norm      (D)
 * @param ffn2Up        (F, D)
 * @param ffn2Down      (D, F)
 * @param ffn2PostNorm  (D)
 * @param outNorm       (D)
 */
public record ConformerLayerWeights(FloatArray ffnNorm, ClippedLinear ffnUp, ClippedLinear ffnDown,
                                    FloatArray ffnPostNorm, FloatArray attnPreNorm, ClippedLinear q, ClippedLinear k,
                                    ClippedLinear v, Weight kRel, FloatArray perDimScale, FloatArray perDimKScale,
                                    ClippedLinear attnOut, FloatArray attnOutBias, FloatArray attnPostNorm,
                                    FloatArray convPreNorm, ClippedLinear pointwise1, FloatArray depthwise,
                                    FloatArray depthwiseBias, FloatArray convNorm, ClippedLinear pointwise2,
                                    FloatArray ffn2Norm, ClippedLinear ffn2Up, ClippedLinear ffn2Down,
                                    FloatArray ffn2PostNorm, FloatArray outNorm) {
}
