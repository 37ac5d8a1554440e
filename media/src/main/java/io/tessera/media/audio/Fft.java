package io.tessera.media.audio;

/**
 * Complex discrete Fourier transform of any fixed size, by mixed-radix Cooley-Tukey decimation in
 * time (smallest prime factor first; 400 = 2⁴·5², 512 = 2⁹). {@code X[k] = Σ x[n]·e^(−2πikn/N)}.
 * An instance holds its twiddle table and scratch space: one per thread.
 */
public final class Fft {
    private final int n;
    private final double[] cos;
    private final double[] sin;
    private final double[] workRe;
    private final double[] workIm;
    private final double[] tmpRe;
    private final double[] tmpIm;

    public Fft(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("FFT size must be positive");
        }
        this.n = n;
        cos = new double[n];
        sin = new double[n];
        for (int i = 0; i < n; i++) {
            double a = -2 * Math.PI * i / n;
            cos[i] = Math.cos(a);
            sin[i] = Math.sin(a);
        }
        workRe = new double[n];
        workIm = new double[n];
        int maxFactor = 2;
        for (int m = n, p; m > 1; m /= p) {
            p = smallestFactor(m);
            maxFactor = Math.max(maxFactor, p);
        }
        tmpRe = new double[maxFactor];
        tmpIm = new double[maxFactor];
    }

    public int size() {
        return n;
    }

    /**
     * Transforms {@code real} (imaginary part zero), zero-padded or truncated to the FFT size, and
     * writes bins {@code 0..n/2} into {@code outRe}/{@code outIm}.
     */
    public void realForward(double[] real, int length, double[] outRe, double[] outIm) {
        double[] inRe = new double[n];
        System.arraycopy(real, 0, inRe, 0, Math.min(length, n));
        double[] inIm = new double[n];
        transform(inRe, inIm, 0, 1, n, workRe, workIm, 0);
        int bins = n / 2 + 1;
        System.arraycopy(workRe, 0, outRe, 0, bins);
        System.arraycopy(workIm, 0, outIm, 0, bins);
    }

    /** Sub-transform of size {@code m} over {@code in[offset + j*stride]}, written to {@code out[at..at+m)}. */
    private void transform(double[] inRe, double[] inIm, int offset, int stride, int m,
                           double[] outRe, double[] outIm, int at) {
        if (m == 1) {
            outRe[at] = inRe[offset];
            outIm[at] = inIm[offset];
            return;
        }
        int p = smallestFactor(m);
        int q = m / p;
        for (int r = 0; r < p; r++) {
            transform(inRe, inIm, offset + r * stride, stride * p, q, outRe, outIm, at + r * q);
        }
        int twiddleStep = n / m;
        for (int k = 0; k < q; k++) {
            for (int s = 0; s < p; s++) {
                double re = 0;
                double im = 0;
                int kk = k + s * q;
                for (int r = 0; r < p; r++) {
                    double yr = outRe[at + r * q + k];
                    double yi = outIm[at + r * q + k];
                    int e = (int) ((long) r * kk % m) * twiddleStep;
                    double c = cos[e];
                    double sn = sin[e];
                    re += yr * c - yi * sn;
                    im += yr * sn + yi * c;
                }
                tmpRe[s] = re;
                tmpIm[s] = im;
            }
            for (int s = 0; s < p; s++) {
                outRe[at + s * q + k] = tmpRe[s];
                outIm[at + s * q + k] = tmpIm[s];
            }
        }
    }

    private static int smallestFactor(int m) {
        if (m % 2 == 0) {
            return 2;
        }
        for (int f = 3; (long) f * f <= m; f += 2) {
            if (m % f == 0) {
                return f;
            }
        }
        return m;
    }
}
