package io.tessera.media.image;

/**
 * Separable convolution resize with the results of PIL's {@code Image.resize} on 8-bit RGB images.
 *
 * <p>For each output pixel {@code i} the source centre is {@code (i + 0.5) * scale}, with
 * {@code scale = in / out}. With antialiasing (PIL's only mode) the kernel is stretched by
 * {@code max(scale, 1)}, so a downscale averages every source pixel it covers; without it the
 * kernel keeps its unit support (plain interpolation, which aliases when shrinking). Taps outside the
 * image are dropped and the remaining weights renormalised to sum to 1. Weights are rounded to
 * fixed point with 22 fractional bits, the horizontal pass runs first and each pass rounds to 8 bits,
 * exactly as Pillow's documented 8-bit resampler does, so results agree with PIL's to the level.
 */
public final class Resizer {
    private static final int PRECISION_BITS = 32 - 8 - 2;

    private Resizer() {}

    public static RgbImage resize(RgbImage src, int outWidth, int outHeight, ResampleFilter filter, boolean antialias) {
        if (outWidth <= 0 || outHeight <= 0) {
            throw new IllegalArgumentException("output size must be positive: " + outWidth + "x" + outHeight);
        }
        RgbImage image = src;
        if (outWidth != src.width()) {
            image = horizontal(image, outWidth, Taps.of(src.width(), outWidth, filter, antialias));
        }
        if (outHeight != src.height()) {
            image = vertical(image, outHeight, Taps.of(src.height(), outHeight, filter, antialias));
        }
        return image;
    }

    /** Source ranges and fixed-point weights of each output position along one axis. */
    record Taps(int[] first, int[] count, int[] weights, int stride) {
        static Taps of(int inSize, int outSize, ResampleFilter filter, boolean antialias) {
            double scale = (double) inSize / outSize;
            double filterScale = antialias ? Math.max(scale, 1.0) : 1.0;
            double support = filter.support() * filterScale;
            int stride = (int) Math.ceil(support) * 2 + 1;
            int[] first = new int[outSize];
            int[] count = new int[outSize];
            int[] weights = new int[outSize * stride];
            double[] w = new double[stride];
            for (int i = 0; i < outSize; i++) {
                double center = (i + 0.5) * scale;
                int lo = Math.max(0, (int) (center - support + 0.5));
                int hi = Math.min(inSize, (int) (center + support + 0.5));
                int n = hi - lo;
                double sum = 0.0;
                for (int k = 0; k < n; k++) {
                    w[k] = filter.weight((k + lo - center + 0.5) / filterScale);
                    sum += w[k];
                }
                for (int k = 0; k < n; k++) {
                    double normalised = sum != 0.0 ? w[k] / sum : w[k];
                    weights[i * stride + k] = normalised < 0
                            ? (int) (-0.5 + normalised * (1 << PRECISION_BITS))
                            : (int) (0.5 + normalised * (1 << PRECISION_BITS));
                }
                first[i] = lo;
                count[i] = n;
            }
            return new Taps(first, count, weights, stride);
        }
    }

    private static RgbImage horizontal(RgbImage src, int outWidth, Taps taps) {
        int h = src.height();
        int inWidth = src.width();
        byte[] in = src.rgb();
        byte[] out = new byte[outWidth * h * 3];
        for (int y = 0; y < h; y++) {
            int row = y * inWidth * 3;
            for (int x = 0; x < outWidth; x++) {
                int r = 1 << (PRECISION_BITS - 1);
                int g = r;
                int b = r;
                int base = x * taps.stride();
                int p = row + taps.first()[x] * 3;
                for (int k = 0; k < taps.count()[x]; k++, p += 3) {
                    int wk = taps.weights()[base + k];
                    r += (in[p] & 0xFF) * wk;
                    g += (in[p + 1] & 0xFF) * wk;
                    b += (in[p + 2] & 0xFF) * wk;
                }
                int o = (y * outWidth + x) * 3;
                out[o] = clip8(r);
                out[o + 1] = clip8(g);
                out[o + 2] = clip8(b);
            }
        }
        return new RgbImage(outWidth, h, out);
    }

    private static RgbImage vertical(RgbImage src, int outHeight, Taps taps) {
        int w = src.width();
        byte[] in = src.rgb();
        byte[] out = new byte[w * outHeight * 3];
        int rowBytes = w * 3;
        int[] acc = new int[rowBytes];
        for (int y = 0; y < outHeight; y++) {
            java.util.Arrays.fill(acc, 1 << (PRECISION_BITS - 1));
            int base = y * taps.stride();
            for (int k = 0; k < taps.count()[y]; k++) {
                int wk = taps.weights()[base + k];
                int row = (taps.first()[y] + k) * rowBytes;
                for (int i = 0; i < rowBytes; i++) {
                    acc[i] += (in[row + i] & 0xFF) * wk;
                }
            }
            int o = y * rowBytes;
            for (int i = 0; i < rowBytes; i++) {
                out[o + i] = clip8(acc[i]);
            }
        }
        return new RgbImage(w, outHeight, out);
    }

    private static byte clip8(int accumulator) {
        int v = accumulator >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }
}
