package io.tessera.media.image;

/**
 * Resampling kernels with PIL's names, supports and formulas (Pillow "Filters" documentation and
 * Keys' cubic convolution with a = -0.5).
 */
public enum ResampleFilter {
    BOX(0.5) {
        @Override
        double weight(double x) {
            return x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
        }
    },
    BILINEAR(1.0) {
        @Override
        double weight(double x) {
            x = Math.abs(x);
            return x < 1.0 ? 1.0 - x : 0.0;
        }
    },
    HAMMING(1.0) {
        @Override
        double weight(double x) {
            x = Math.abs(x);
            if (x == 0.0) {
                return 1.0;
            }
            if (x >= 1.0) {
                return 0.0;
            }
            x *= Math.PI;
            return Math.sin(x) / x * (0.54 + 0.46 * Math.cos(x));
        }
    },
    BICUBIC(2.0) {
        @Override
        double weight(double x) {
            final double a = -0.5;
            x = Math.abs(x);
            if (x < 1.0) {
                return ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0;
            }
            if (x < 2.0) {
                return (((x - 5.0) * x + 8.0) * x - 4.0) * a;
            }
            return 0.0;
        }
    },
    LANCZOS(3.0) {
        @Override
        double weight(double x) {
            if (x > -3.0 && x < 3.0) {
                return sinc(x) * sinc(x / 3.0);
            }
            return 0.0;
        }
    };

    private final double support;

    ResampleFilter(double support) {
        this.support = support;
    }

    /** Half-width of the kernel in source pixels at scale 1. */
    public double support() {
        return support;
    }

    abstract double weight(double x);

    private static double sinc(double x) {
        if (x == 0.0) {
            return 1.0;
        }
        x *= Math.PI;
        return Math.sin(x) / x;
    }
}
