package io.tessera.pipeline.vision;

import io.tessera.pipeline.model.Weight;
import io.tessera.tasks.api.FloatArray;

/**
 * One SigLIP encoder block (D = width, F = MLP width). Biases and LayerNorm parameters are F32;
 * a bias is null when the file has none.
 *
 * @param ln1Weight  (D)
 * @param ln1Bias    (D)
 * @param q          (D, D)
 * @param qBias      (D)
 * @param k          (D, D)
 * @param kBias      (D)
 * @param v          (D, D)
 * @param vBias      (D)
 * @param out        (D, D)
 * @param outBias    (D)
 * @param ln2Weight  (D)
 * @param ln2Bias    (D)
 * @param up         (F, D) fc1
 * @param upBias     (F)
 * @param down       (D, F) fc2
 * @param downBias   (D)
 */
public record VisionLayerWeights(FloatArray ln1Weight, FloatArray ln1Bias, Weight q, FloatArray qBias, Weight k,
                                 FloatArray kBias, Weight v, FloatArray vBias, Weight out, FloatArray outBias,
                                 FloatArray ln2Weight, FloatArray ln2Bias, Weight up, FloatArray upBias, Weight down,
                                 FloatArray downBias) {
}
