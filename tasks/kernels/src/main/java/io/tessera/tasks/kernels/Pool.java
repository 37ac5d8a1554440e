package io.tessera.tasks.kernels;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.Kernel;
import io.tessera.tasks.api.Parallel;

/**
 * 2-D average pooling with a square window of {@code kernel} and a stride, VALID padding:
 * outH = (height - kernel) / stride + 1, likewise outW. Each output is the mean of its
 * kernel x kernel inputs (Gemma 3 projector: 64x64 patches, kernel 4, stride 4 -&gt; 16x16).
 */
public final class Pool {
    private Pool() {
    }

    /** Channels-first. x: [channels][height][width]; out: [channels][outH][outW]. */
    @Kernel
    public static void avgPool2dChw(FloatArray x, FloatArray out, int channels, int height, int width,
                                    int kernel, int stride) {
        for (@Parallel int c = 0; c < channels; c++) {
            for (@Parallel int oy = 0; oy < (height - kernel) / stride + 1; oy++) {
                for (@Parallel int ox = 0; ox < (width - kernel) / stride + 1; ox++) {
                    int outH = (height - kernel) / stride + 1;
                    int outW = (width - kernel) / stride + 1;
                    long in = (long) c * height * width;
                    float sum = 0.0f;
                    for (int dy = 0; dy < kernel; dy++) {
                        for (int dx = 0; dx < kernel; dx++) {
                            sum += x.get(in + (long) (oy * stride + dy) * width + ox * stride + dx);
                        }
                    }
                    out.set(((long) c * outH + oy) * outW + ox, sum / (kernel * kernel));
                }
            }
        }
    }

    /**
     * Channels-last, i.e. a grid of token vectors (a ViT's [patches][hidden] output seen as
     * [height][width][hidden]). x: [height][width][channels]; out: [outH][outW][channels].
     */
    @Kernel
    public static void avgPool2dHwc(FloatArray x, FloatArray out, int channels, int height, int width,
                                    int kernel, int stride) {
        for (@Parallel int oy = 0; oy < (height - kernel) / stride + 1; oy++) {
            for (@Parallel int ox = 0; ox < (width - kernel) / stride + 1; ox++) {
                for (@Parallel int c = 0; c < channels; c++) {
                    int outW = (width - kernel) / stride + 1;
                    float sum = 0.0f;
                    for (int dy = 0; dy < kernel; dy++) {
                        for (int dx = 0; dx < kernel; dx++) {
                            sum += x.get(((long) (oy * stride + dy) * width + ox * stride + dx) * channels + c);
                        }
                    }
                    out.set(((long) oy * outW + ox) * channels + c, sum / (kernel * kernel));
                }
            }
        }
    }
}
