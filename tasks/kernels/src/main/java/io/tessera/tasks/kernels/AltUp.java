package io.tessera.tasks.kernels;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.Kernel;
import io.tessera.tasks.api.KernelMath;
import io.tessera.tasks.api.Parallel;

/**
 * Alternating updates (AltUp, Baykal et al. 2023) over {@code n} residual streams stored stream by
 * stream, [n][tokens][dim], as Gemma 3n keeps them (llama.cpp {@code src/models/gemma3n.cpp}
 * {@code altup_predict}, {@code altup_correct}, {@code calc_magnitude}). Only the active stream goes
 * through the layer; the others are predicted from all of them and corrected by the layer's
 * innovation, with per-token coefficients from a small router.
 */
public final class AltUp {
    private AltUp() {
    }

    /**
     * out[s][t] = streams[s][t] + sum_k coefs[t][s * n + k] * streams[k][t]: each stream's prediction
     * as a per-token mix of all streams. streams, out: [n][tokens][dim]; coefs: [tokens][n * n].
     */
    @Kernel
    public static void predict(FloatArray streams, FloatArray coefs, FloatArray out, int n, int tokens, int dim) {
        for (@Parallel int s = 0; s < n; s++) {
            for (@Parallel int t = 0; t < tokens; t++) {
                for (@Parallel int j = 0; j < dim; j++) {
                    long stride = (long) tokens * dim;
                    long at = (long) t * dim + j;
                    float sum = 0.0f;
                    for (int k = 0; k < n; k++) {
                        sum += coefs.get((long) t * n * n + (long) s * n + k) * streams.get(k * stride + at);
                    }
                    out.set(s * stride + at, sum + streams.get(s * stride + at));
                }
            }
        }
    }

    /**
     * out[s][t] = predictions[s][t] + (activated[t] - predictions[active][t]) * (coefs[t][s] + 1):
     * every stream corrected by the active stream's innovation. predictions, out: [n][tokens][dim];
     * activated: [tokens][dim]; coefs: [tokens][n]. out must not alias predictions.
     */
    @Kernel
    public static void correct(FloatArray predictions, FloatArray activated, FloatArray coefs, FloatArray out, int n,
                               int active, int tokens, int dim) {
        for (@Parallel int s = 0; s < n; s++) {
            for (@Parallel int t = 0; t < tokens; t++) {
                for (@Parallel int j = 0; j < dim; j++) {
                    long stride = (long) tokens * dim;
                    long at = (long) t * dim + j;
                    float innovation = activated.get(at) - predictions.get(active * stride + at);
                    float c = coefs.get((long) t * n + s) + 1.0f;
                    out.set(s * stride + at, innovation * c + predictions.get(s * stride + at));
                }
            }
        }
    }

    /**
     * out[outOffset + t * dim + j] = y[t][j] * |ref[t]| / |y[t]|, with |.| the Euclidean norm of a
     * row: a projected stream rescaled to the magnitude of the stream it came from (Gemma 3n's
     * stacking of the input into streams and its unstacking before the logits). ref, y: [tokens][dim].
     */
    @Kernel
    public static void matchMagnitude(FloatArray ref, FloatArray y, FloatArray out, long outOffset, int tokens,
                                      int dim) {
        for (@Parallel int t = 0; t < tokens; t++) {
            long base = (long) t * dim;
            float rr = 0.0f;
            float yy = 0.0f;
            for (int j = 0; j < dim; j++) {
                float a = ref.get(base + j);
                float b = y.get(base + j);
                rr += a * a;
                yy += b * b;
            }
            float target = KernelMath.sqrt(rr);
            float current = KernelMath.sqrt(yy);
            for (int j = 0; j < dim; j++) {
                out.set(outOffset + base + j, y.get(base + j) * target / current);
            }
        }
    }

    /** out[t] = (streams[0][t] + ... + streams[n - 1][t]) / n. streams: [n][tokens][dim]; out: [tokens][dim]. */
    @Kernel
    public static void mean(FloatArray streams, FloatArray out, int n, int tokens, int dim) {
        for (@Parallel int t = 0; t < tokens; t++) {
            for (@Parallel int j = 0; j < dim; j++) {
                long at = (long) t * dim + j;
                float sum = streams.get(at);
                for (int s = 1; s < n; s++) {
                    sum += streams.get((long) s * tokens * dim + at);
                }
                out.set(at, sum * (1.0f / n));
            }
        }
    }

    /**
     * streams[s][t] += delta[t] for first &lt;= s &lt; n: one layer's per-layer-input term added to the
     * streams after the first ({@code corrected[1:] += first_prediction}). streams: [n][tokens][dim];
     * delta: [tokens][dim].
     */
    @Kernel
    public static void addToStreams(FloatArray streams, FloatArray delta, int first, int n, int tokens, int dim) {
        for (@Parallel int i = 0; i < n - first; i++) {
            for (@Parallel int t = 0; t < tokens; t++) {
                for (@Parallel int j = 0; j < dim; j++) {
                    long at = (long) (first + i) * tokens * dim + (long) t * dim + j;
                    streams.set(at, streams.get(at) + delta.get((long) t * dim + j));
                }
            }
        }
    }
}
