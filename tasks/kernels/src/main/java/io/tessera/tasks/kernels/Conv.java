package io.tessera.tasks.kernels;

import java.lang.foreign.MemorySegment;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.Kernel;
import io.tessera.tasks.api.Parallel;

/** Convolutions of the vision encoders and of the conformer audio encoders. */
public final class Conv {
    private Conv() {
    }

    /**
     * Patch embedding: a 2-D convolution whose stride equals its kernel (VALID padding, so rows and
     * columns that do not fill a whole patch are dropped), plus bias; SigLIP's
     * {@code patch_embedding} (3 -&gt; 1152, 14x14).
     * <pre>
     *   image:  [channels][height][width]               channels-first, as PyTorch
     *   weight: [outChannels][channels][patchH][patchW]  (GGUF v.patch_embd.weight)
     *   bias:   [outChannels]
     *   out:    [(height/patchH) * (width/patchW)][outChannels]   patches row-major: y major, x minor
     * </pre>
     */
    @Kernel
    public static void patchEmbed(FloatArray image, FloatArray weight, FloatArray bias, FloatArray out,
                                  int channels, int height, int width, int outChannels, int patchH, int patchW) {
        for (@Parallel int p = 0; p < (height / patchH) * (width / patchW); p++) {
            for (@Parallel int o = 0; o < outChannels; o++) {
                int across = width / patchW;
                int y0 = (p / across) * patchH;
                int x0 = (p % across) * patchW;
                float sum = bias.get(o);
                for (int c = 0; c < channels; c++) {
                    long wBase = ((long) o * channels + c) * patchH * patchW;
                    long iBase = (long) c * height * width;
                    for (int dy = 0; dy < patchH; dy++) {
                        for (int dx = 0; dx < patchW; dx++) {
                            sum += weight.get(wBase + dy * patchW + dx)
                                    * image.get(iBase + (long) (y0 + dy) * width + x0 + dx);
                        }
                    }
                }
                out.set((long) p * outChannels + o, sum);
            }
        }
    }

    /**
     * 2-D convolution with zero padding {@code pad} on every side, plus bias, over channels-last
     * planes: the subsampling convolutions of the Gemma 4 conformer (3x3, stride 2, pad 1;
     * llama.cpp {@code gemma4a.cpp} {@code ggml_conv_2d}). Rows are time and columns mel bins.
     * <pre>
     *   x:      [height][width][inChannels]
     *   weight: [outChannels][kernelH][kernelW][inChannels]   channels last, so each tap's sum runs over
     *                                                          contiguous memory of x and weight
     *                                                          (PyTorch's [out][in][kH][kW] re-laid once)
     *   bias:   [outChannels]
     *   out:    [outH][outW][outChannels], outH = (height + 2 pad - kernelH) / stride + 1, likewise outW
     * </pre>
     */
    @Kernel(jvm = "conv2dVec")
    public static void conv2d(FloatArray x, FloatArray weight, FloatArray bias, FloatArray out, int height,
                              int width, int inChannels, int outChannels, int kernelH, int kernelW, int stride,
                              int pad) {
        for (@Parallel int oy = 0; oy < (height + 2 * pad - kernelH) / stride + 1; oy++) {
            for (@Parallel int ox = 0; ox < (width + 2 * pad - kernelW) / stride + 1; ox++) {
                for (@Parallel int o = 0; o < outChannels; o++) {
                    int outW = (width + 2 * pad - kernelW) / stride + 1;
                    float sum = bias.get(o);
                    for (int ky = 0; ky < kernelH; ky++) {
                        int y = oy * stride + ky - pad;
                        if (y < 0 || y >= height) {
                            continue;
                        }
                        for (int kx = 0; kx < kernelW; kx++) {
                            int xx = ox * stride + kx - pad;
                            if (xx < 0 || xx >= width) {
                                continue;
                            }
                            long in = ((long) y * width + xx) * inChannels;
                            long w = (((long) o * kernelH + ky) * kernelW + kx) * inChannels;
                            for (int c = 0; c < inChannels; c++) {
                                sum += weight.get(w + c) * x.get(in + c);
                            }
                        }
                    }
                    out.set(((long) oy * outW + ox) * outChannels + o, sum);
                }
            }
        }
    }

    /**
     * Depthwise causal 1-D convolution over time, plus bias: each channel is convolved with its own
     * kernel over the current and the {@code kernel - 1} previous steps, zeros before the start
     * (left padding only): out[t][c] = bias[c] + sum_j weight[c][j] * x[t - kernel + 1 + j][c]. The
     * light convolution of the conformer ({@code conv_dw}, k = 5; llama.cpp {@code gemma4a.cpp}
     * pads 4 on the left and runs {@code ggml_ssm_conv}).
     * <pre>
     *   x, out: [tokens][channels]
     *   weight: [channels][kernel]   (ggml [kernel, channels])
     *   bias:   [channels]
     * </pre>
     */
    @Kernel
    public static void depthwiseCausalConv1d(FloatArray x, FloatArray weight, FloatArray bias, FloatArray out,
                                             int tokens, int channels, int kernel) {
        for (@Parallel int t = 0; t < tokens; t++) {
            for (@Parallel int c = 0; c < channels; c++) {
                float sum = bias.get(c);
                for (int j = 0; j < kernel; j++) {
                    int s = t - kernel + 1 + j;
                    if (s >= 0) {
                        sum += weight.get((long) c * kernel + j) * x.get((long) s * channels + c);
                    }
                }
                out.set((long) t * channels + c, sum);
            }
        }
    }

    /** {@link #conv2d} for output rows [from, to), each tap's channel sum as one vector dot product. */
    static void conv2dVec(FloatArray x, FloatArray weight, FloatArray bias, FloatArray out, int height, int width,
                          int inChannels, int outChannels, int kernelH, int kernelW, int stride, int pad, int from,
                          int to) {
        MemorySegment xs = x.segment();
        MemorySegment ws = weight.segment();
        int outW = (width + 2 * pad - kernelW) / stride + 1;
        for (int oy = from; oy < to; oy++) {
            for (int ox = 0; ox < outW; ox++) {
                for (int o = 0; o < outChannels; o++) {
                    float sum = bias.get(o);
                    for (int ky = 0; ky < kernelH; ky++) {
                        int y = oy * stride + ky - pad;
                        if (y < 0 || y >= height) {
                            continue;
                        }
                        for (int kx = 0; kx < kernelW; kx++) {
                            int xx = ox * stride + kx - pad;
                            if (xx >= 0 && xx < width) {
                                sum += Vectors.dot(ws, (((long) o * kernelH + ky) * kernelW + kx) * inChannels, xs,
                                        ((long) y * width + xx) * inChannels, inChannels);
                            }
                        }
                    }
                    out.set(((long) oy * outW + ox) * outChannels + o, sum);
                }
            }
        }
    }
}
