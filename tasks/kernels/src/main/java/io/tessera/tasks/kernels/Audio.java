package io.tessera.tasks.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.IntArray;
import io.tessera.tasks.api.Kernel;
import io.tessera.tasks.api.KernelMath;
import io.tessera.tasks.api.Parallel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The short-time Fourier transform and log-mel products of audio front ends (Gemma 3n, Gemma 4,
 * Whisper; MODELS.md §4), frame by frame:
 *
 * <pre>
 *   frame        x[samples]                  -> frames[count][fftLength]   pre-emphasis, window, zero fill
 *   fftSpectrum  frames (power-of-two size)  -> spectrum[count][fftLength/2+1]
 *   dftSpectrum  frames (any size)           -> spectrum[count][fftLength/2+1]
 *   melLog       spectrum x mel matrix^T     -> features[count][mels]      log with offset, floor, scale
 *   clampToMax   features, max (Reduce.max*) -> [chunks][mels][framesPerChunk]  dynamic-range clamp
 * </pre>
 *
 * Twiddle tables are {@code twiddleCos[j] = cos(2πj/N)} and {@code twiddleSin[j] = sin(2πj/N)} for
 * {@code j < N}, computed once by the caller, so no kernel evaluates a trigonometric function.
 * The transform is {@code X[k] = Σ x[n]·e^(−2πikn/N)}; {@code magnitude != 0} gives {@code |X[k]|},
 * otherwise the power {@code |X[k]|²}. Sums run in float.
 *
 * <p>Double precision, for devices with fp64: a float transform carries rounding noise about 1e-7 of
 * the frame's energy in every bin, which swamps bins far below the frame's peak (Gemma 3n's
 * pre-emphasis puts its lowest mel bins about 110 dB down). The F64 kernels fuse framing and
 * transform, keep the frame in double private memory, and store only the spectrum, in float (its
 * values keep their relative precision there):
 * <pre>
 *   frameFftSpectrumF64  x[samples] -> spectrum[count][fftLength/2+1]   replaces frame + fftSpectrum
 *   frameDftSpectrumF64  x[samples] -> spectrum[count][fftLength/2+1]   replaces frame + dftSpectrum
 * </pre>
 * Typed arrays hold no doubles, so their window and twiddles come as float pairs (hi, lo) with
 * {@code hi = (float) v}, {@code lo = (float) (v − hi)}: {@code hi + lo} in double is v to about
 * 2^−48. Layouts: {@code window[2n], window[2n+1]}; {@code twiddles[4j .. 4j+3]} = cos hi, cos lo,
 * sin hi, sin lo of {@code 2πj/N} for {@code j < N}.
 */
public final class Audio {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    /** Largest FFT size of {@link #frameFftSpectrumF64}: its private arrays hold fftLength/2 complex values. */
    public static final int MAX_FFT_F64 = 2048;
    private static final int MAX_HALF_F64 = MAX_FFT_F64 / 2;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    private Audio() {
    }

    /**
     * frames[t][n] = window[n] · e(hop·t + n) for n &lt; frameLength, zero up to fftLength, where
     * e is x after HTK pre-emphasis inside the frame: {@code e(i) = x[i]·(1 − p)} at the first
     * sample of the frame, {@code x[i] − p·x[i−1]} after it (p = 0: no pre-emphasis). x holds
     * every sample the frames cover, padding included.
     */
    @Kernel
    public static void frame(FloatArray x, FloatArray window, FloatArray frames, int count, int frameLength,
                             int fftLength, int hop, float preemphasis) {
        for (@Parallel int t = 0; t < count; t++) {
            for (@Parallel int n = 0; n < fftLength; n++) {
                float v = 0.0f;
                if (n < frameLength) {
                    long at = (long) t * hop + n;
                    float s = x.get(at);
                    float emphasised = n == 0 ? s * (1.0f - preemphasis) : s - preemphasis * x.get(at - 1);
                    v = emphasised * window.get(n);
                }
                frames.set((long) t * fftLength + n, v);
            }
        }
    }

    /**
     * Spectrum of real frames whose size n is a power of two (at least 2), by the half-size complex
     * transform: the frame is read as n/2 complex values {@code z[j] = x[2j] + i·x[2j+1]}, transformed
     * in place (iterative radix-2 decimation in time), and split into the n/2+1 bins of the real
     * transform, {@code X[k] = E[k] + e^(−2πik/n)·O[k]} with {@code E[k] = (Z[k] + conj Z[n/2−k])/2},
     * {@code O[k] = (Z[k] − conj Z[n/2−k])/(2i)}. Each frame of {@code frames} is left holding its Z.
     */
    @Kernel(jvm = "fftSpectrumVec")
    public static void fftSpectrum(FloatArray frames, FloatArray twiddleCos, FloatArray twiddleSin,
                                   FloatArray spectrum, int count, int fftLength, int magnitude) {
        for (@Parallel int t = 0; t < count; t++) {
            long row = (long) t * fftLength;
            int half = fftLength / 2;
            int bits = 0;
            while ((1 << bits) < half) {
                bits++;
            }
            for (int i = 0; i < half; i++) {
                int r = 0;
                int v = i;
                for (int b = 0; b < bits; b++) {
                    r = (r << 1) | (v & 1);
                    v = v >> 1;
                }
                if (i < r) {
                    float re = frames.get(row + 2L * i);
                    float im = frames.get(row + 2L * i + 1);
                    frames.set(row + 2L * i, frames.get(row + 2L * r));
                    frames.set(row + 2L * i + 1, frames.get(row + 2L * r + 1));
                    frames.set(row + 2L * r, re);
                    frames.set(row + 2L * r + 1, im);
                }
            }
            for (int span = 1; span < half; span = span * 2) {
                int stride = fftLength / (2 * span);
                for (int s = 0; s < half; s += 2 * span) {
                    for (int j = 0; j < span; j++) {
                        float c = twiddleCos.get((long) j * stride);
                        float sn = twiddleSin.get((long) j * stride);
                        long a = row + 2L * (s + j);
                        long b = a + 2L * span;
                        float br = frames.get(b);
                        float bi = frames.get(b + 1);
                        float tr = br * c + bi * sn;
                        float ti = bi * c - br * sn;
                        float ar = frames.get(a);
                        float ai = frames.get(a + 1);
                        frames.set(a, ar + tr);
                        frames.set(a + 1, ai + ti);
                        frames.set(b, ar - tr);
                        frames.set(b + 1, ai - ti);
                    }
                }
            }
            long out = (long) t * (half + 1);
            for (int k = 0; k <= half; k++) {
                long zk = row + 2L * (k % half);
                long zc = row + 2L * ((half - k) % half);
                float a = frames.get(zk);
                float b = frames.get(zk + 1);
                float c = frames.get(zc);
                float d = frames.get(zc + 1);
                float power = splitPower(a, b, c, d, twiddleCos.get(k), twiddleSin.get(k));
                spectrum.set(out + k, magnitude != 0 ? KernelMath.sqrt(power) : power);
            }
        }
    }

    /**
     * |X[k]|² from Z[k] = (a, b) and Z[n/2−k] = (c, d), with (cs, sn) = (cos, sin)(2πk/n):
     * X[k] = E + (cs − i·sn)·O, E = ((a+c)/2, (b−d)/2), O = ((b+d)/2, (c−a)/2).
     */
    static float splitPower(float a, float b, float c, float d, float cs, float sn) {
        float er = 0.5f * (a + c);
        float ei = 0.5f * (b - d);
        float odr = 0.5f * (b + d);
        float odi = 0.5f * (c - a);
        float xr = er + cs * odr + sn * odi;
        float xi = ei + cs * odi - sn * odr;
        return xr * xr + xi * xi;
    }

    /**
     * Spectrum of real frames of any size n by the direct transform, one bin per work-item:
     * {@code X[k] = Σ_j x[j]·(cos − i·sin)(2πkj/n)} for k ≤ n/2 (Whisper's n = 400 is not a power of two).
     */
    @Kernel(jvm = "dftSpectrumVec")
    public static void dftSpectrum(FloatArray frames, FloatArray twiddleCos, FloatArray twiddleSin,
                                   FloatArray spectrum, int count, int fftLength, int magnitude) {
        for (@Parallel int t = 0; t < count; t++) {
            for (@Parallel int k = 0; k < fftLength / 2 + 1; k++) {
                long row = (long) t * fftLength;
                float re = 0.0f;
                float im = 0.0f;
                int e = 0;
                for (int j = 0; j < fftLength; j++) {
                    float v = frames.get(row + j);
                    re += v * twiddleCos.get(e);
                    im -= v * twiddleSin.get(e);
                    e += k;
                    if (e >= fftLength) {
                        e -= fftLength;
                    }
                }
                float power = re * re + im * im;
                spectrum.set((long) t * (fftLength / 2 + 1) + k, magnitude != 0 ? KernelMath.sqrt(power) : power);
            }
        }
    }

    /**
     * {@link #frame} then {@link #fftSpectrum} in double, frame by frame: the windowed, pre-emphasised
     * frame is written straight into bit-reversed order in two private double arrays, transformed
     * there and split into bins; only the spectrum goes to memory. fftLength is a power of two from 2
     * to {@link #MAX_FFT_F64}. Window and twiddles are (hi, lo) float pairs (class doc).
     */
    @Kernel
    public static void frameFftSpectrumF64(FloatArray x, FloatArray window, FloatArray twiddles, FloatArray spectrum,
                                           int count, int frameLength, int fftLength, int hop, double preemphasis,
                                           int magnitude) {
        for (@Parallel int t = 0; t < count; t++) {
            double[] re = new double[MAX_HALF_F64];
            double[] im = new double[MAX_HALF_F64];
            int half = fftLength / 2;
            int bits = 0;
            while ((1 << bits) < half) {
                bits++;
            }
            long base = (long) t * hop;
            for (int i = 0; i < half; i++) {
                int r = 0;
                int v = i;
                for (int b = 0; b < bits; b++) {
                    r = (r << 1) | (v & 1);
                    v = v >> 1;
                }
                re[r] = windowedF64(x, window, base, 2 * i, frameLength, preemphasis);
                im[r] = windowedF64(x, window, base, 2 * i + 1, frameLength, preemphasis);
            }
            for (int span = 1; span < half; span = span * 2) {
                int stride = fftLength / (2 * span);
                for (int s = 0; s < half; s += 2 * span) {
                    for (int j = 0; j < span; j++) {
                        long e = 4L * j * stride;
                        double c = pairF64(twiddles, e);
                        double sn = pairF64(twiddles, e + 2);
                        int a = s + j;
                        int b = a + span;
                        double tr = re[b] * c + im[b] * sn;
                        double ti = im[b] * c - re[b] * sn;
                        re[b] = re[a] - tr;
                        im[b] = im[a] - ti;
                        re[a] = re[a] + tr;
                        im[a] = im[a] + ti;
                    }
                }
            }
            long out = (long) t * (half + 1);
            for (int k = 0; k <= half; k++) {
                int zk = k % half;
                int zc = (half - k) % half;
                double power = splitPowerF64(re[zk], im[zk], re[zc], im[zc], pairF64(twiddles, 4L * k),
                        pairF64(twiddles, 4L * k + 2));
                spectrum.set(out + k, (float) (magnitude != 0 ? Math.sqrt(power) : power));
            }
        }
    }

    /**
     * {@link #frame} then {@link #dftSpectrum} in double, one bin per work-item: each work-item
     * forms its frame's windowed samples in double as it sums them against the twiddles. Any
     * fftLength; window and twiddles are (hi, lo) float pairs (class doc).
     */
    @Kernel(jvm = "frameDftSpectrumF64Vec")
    public static void frameDftSpectrumF64(FloatArray x, FloatArray window, FloatArray twiddles, FloatArray spectrum,
                                           int count, int frameLength, int fftLength, int hop, double preemphasis,
                                           int magnitude) {
        for (@Parallel int t = 0; t < count; t++) {
            for (@Parallel int k = 0; k < fftLength / 2 + 1; k++) {
                long base = (long) t * hop;
                double re = 0.0;
                double im = 0.0;
                int e = 0;
                int length = Math.min(frameLength, fftLength);
                for (int j = 0; j < length; j++) {
                    double v = windowedF64(x, window, base, j, frameLength, preemphasis);
                    re += v * pairF64(twiddles, 4L * e);
                    im -= v * pairF64(twiddles, 4L * e + 2);
                    e += k;
                    if (e >= fftLength) {
                        e -= fftLength;
                    }
                }
                double power = re * re + im * im;
                spectrum.set((long) t * (fftLength / 2 + 1) + k, (float) (magnitude != 0 ? Math.sqrt(power) : power));
            }
        }
    }

    /** The double a (hi, lo) float pair at {@code at} stands for. */
    static double pairF64(FloatArray pairs, long at) {
        return (double) pairs.get(at) + (double) pairs.get(at + 1);
    }

    /** Sample n of the frame starting at x[base], as {@link #frame} forms it, in double; 0 past frameLength. */
    static double windowedF64(FloatArray x, FloatArray window, long base, int n, int frameLength, double preemphasis) {
        if (n >= frameLength) {
            return 0.0;
        }
        double s = x.get(base + n);
        double emphasised = n == 0 ? s * (1.0 - preemphasis) : s - preemphasis * x.get(base + n - 1);
        return emphasised * pairF64(window, 2L * n);
    }

    /** {@link #splitPower} in double. */
    static double splitPowerF64(double a, double b, double c, double d, double cs, double sn) {
        double er = 0.5 * (a + c);
        double ei = 0.5 * (b - d);
        double odr = 0.5 * (b + d);
        double odi = 0.5 * (c - a);
        double xr = er + cs * odr + sn * odi;
        double xi = ei + cs * odi - sn * odr;
        return xr * xr + xi * xi;
    }

    /**
     * Mel filterbank product and log, fused: {@code mel = Σ_k weights[m][k]·spectrum[t][k]} over the
     * filter's support {@code firstBin[m] ≤ k ≤ lastBin[m]} (an empty support gives 0), then
     * {@code out[t][m] = scale·ln(max(mel + offset, floor))} for frames t &lt; valid and 0 after them
     * (frames of padding). scale = 1/ln 10 gives log10. Replaces a matMul against the dense mel
     * matrix followed by an elementwise log.
     */
    @Kernel(jvm = "melLogVec")
    public static void melLog(FloatArray spectrum, FloatArray weights, IntArray firstBin, IntArray lastBin,
                              FloatArray out, int count, int bins, int mels, int valid, float offset, float floor,
                              float scale) {
        for (@Parallel int t = 0; t < count; t++) {
            for (@Parallel int m = 0; m < mels; m++) {
                float v = 0.0f;
                if (t < valid) {
                    long row = (long) t * bins;
                    long w = (long) m * bins;
                    float acc = 0.0f;
                    int last = lastBin.get(m);
                    for (int k = firstBin.get(m); k <= last; k++) {
                        acc += weights.get(w + k) * spectrum.get(row + k);
                    }
                    v = scale * KernelMath.log(Math.max(acc + offset, floor));
                }
                out.set((long) t * mels + m, v);
            }
        }
    }

    /**
     * Dynamic-range clamp of log-mel features x[count][mels] against their maximum max[0]
     * (from {@code Reduce.maxPartials}/{@code maxFinish}), written as chunks of
     * {@code [mels][framesPerChunk]}: {@code out = (max(x, max[0] − range) + shift)·scale}. Whisper
     * uses range 8, shift 4, scale 1/4.
     */
    @Kernel
    public static void clampToMax(FloatArray x, FloatArray max, FloatArray out, int count, int mels,
                                  int framesPerChunk, float range, float shift, float scale) {
        for (@Parallel int t = 0; t < count; t++) {
            for (@Parallel int m = 0; m < mels; m++) {
                float v = Math.max(x.get((long) t * mels + m), max.get(0) - range);
                long at = ((long) (t / framesPerChunk) * mels + m) * framesPerChunk + t % framesPerChunk;
                out.set(at, (v + shift) * scale);
            }
        }
    }

    static void fftSpectrumVec(FloatArray frames, FloatArray twiddleCos, FloatArray twiddleSin,
                               FloatArray spectrum, int count, int fftLength, int magnitude, int from, int to) {
        int half = fftLength / 2;
        int[] reversed = new int[half];
        int bits = Integer.numberOfTrailingZeros(half);
        for (int i = 0; i < half; i++) {
            reversed[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
        }
        // Twiddles of each stage, contiguous: stage `span` starts at span - 1.
        float[] stageCos = new float[Math.max(1, half)];
        float[] stageSin = new float[Math.max(1, half)];
        for (int span = 1; span < half; span *= 2) {
            int stride = fftLength / (2 * span);
            for (int j = 0; j < span; j++) {
                stageCos[span - 1 + j] = twiddleCos.get((long) j * stride);
                stageSin[span - 1 + j] = twiddleSin.get((long) j * stride);
            }
        }
        MemorySegment fs = frames.segment();
        float[] re = new float[half];
        float[] im = new float[half];
        for (int t = from; t < to; t++) {
            long row = (long) t * fftLength * 4;
            for (int i = 0; i < half; i++) {
                long at = row + 8L * reversed[i];
                re[i] = fs.get(FLOAT, at);
                im[i] = fs.get(FLOAT, at + 4);
            }
            for (int span = 1; span < half; span *= 2) {
                if (span >= Vectors.L) {
                    vectorStage(re, im, stageCos, stageSin, span, half);
                } else {
                    scalarStage(re, im, stageCos, stageSin, span, half);
                }
            }
            for (int i = 0; i < half; i++) {
                fs.set(FLOAT, row + 8L * i, re[i]);
                fs.set(FLOAT, row + 8L * i + 4, im[i]);
            }
            long out = (long) t * (half + 1);
            for (int k = 0; k <= half; k++) {
                int zk = k % half;
                int zc = (half - k) % half;
                float power = splitPower(re[zk], im[zk], re[zc], im[zc], twiddleCos.get(k), twiddleSin.get(k));
                spectrum.set(out + k, magnitude != 0 ? (float) Math.sqrt(power) : power);
            }
        }
    }

    private static void scalarStage(float[] re, float[] im, float[] stageCos, float[] stageSin, int span, int half) {
        for (int s = 0; s < half; s += 2 * span) {
            for (int j = 0; j < span; j++) {
                float c = stageCos[span - 1 + j];
                float sn = stageSin[span - 1 + j];
                int a = s + j;
                int b = a + span;
                float tr = re[b] * c + im[b] * sn;
                float ti = im[b] * c - re[b] * sn;
                re[b] = re[a] - tr;
                im[b] = im[a] - ti;
                re[a] += tr;
                im[a] += ti;
            }
        }
    }

    private static void vectorStage(float[] re, float[] im, float[] stageCos, float[] stageSin, int span, int half) {
        for (int s = 0; s < half; s += 2 * span) {
            for (int j = 0; j < span; j += Vectors.L) {
                FloatVector c = FloatVector.fromArray(Vectors.F, stageCos, span - 1 + j);
                FloatVector sn = FloatVector.fromArray(Vectors.F, stageSin, span - 1 + j);
                int a = s + j;
                int b = a + span;
                FloatVector br = FloatVector.fromArray(Vectors.F, re, b);
                FloatVector bi = FloatVector.fromArray(Vectors.F, im, b);
                FloatVector tr = br.mul(c).add(bi.mul(sn));
                FloatVector ti = bi.mul(c).sub(br.mul(sn));
                FloatVector ar = FloatVector.fromArray(Vectors.F, re, a);
                FloatVector ai = FloatVector.fromArray(Vectors.F, im, a);
                ar.sub(tr).intoArray(re, b);
                ai.sub(ti).intoArray(im, b);
                ar.add(tr).intoArray(re, a);
                ai.add(ti).intoArray(im, a);
            }
        }
    }

    /** The direct transform as products against the rows of the DFT matrix, four frames per row load. */
    static void dftSpectrumVec(FloatArray frames, FloatArray twiddleCos, FloatArray twiddleSin,
                               FloatArray spectrum, int count, int fftLength, int magnitude, int from, int to) {
        int n = fftLength;
        int bins = n / 2 + 1;
        float[][] cosRows = new float[bins][n];
        float[][] sinRows = new float[bins][n];
        for (int k = 0; k < bins; k++) {
            for (int j = 0; j < n; j++) {
                int e = (int) ((long) k * j % n);
                cosRows[k][j] = twiddleCos.get(e);
                sinRows[k][j] = twiddleSin.get(e);
            }
        }
        MemorySegment fs = frames.segment();
        float[] re = new float[4];
        float[] im = new float[4];
        int t = from;
        for (; t + 4 <= to; t += 4) {
            for (int k = 0; k < bins; k++) {
                Vectors.dot4(cosRows[k], fs, (long) t * n, n, n, re);
                Vectors.dot4(sinRows[k], fs, (long) t * n, n, n, im);
                for (int r = 0; r < 4; r++) {
                    spectrum.set((long) (t + r) * bins + k, spectrumValue(re[r], im[r], magnitude));
                }
            }
        }
        for (; t < to; t++) {
            for (int k = 0; k < bins; k++) {
                float a = Vectors.dot(cosRows[k], fs, (long) t * n, n);
                float b = Vectors.dot(sinRows[k], fs, (long) t * n, n);
                spectrum.set((long) t * bins + k, spectrumValue(a, b, magnitude));
            }
        }
    }

    private static float spectrumValue(float re, float im, int magnitude) {
        float power = re * re + im * im;
        return magnitude != 0 ? (float) Math.sqrt(power) : power;
    }

    /**
     * {@link #frameDftSpectrumF64} as products of each frame, formed once in double, against the rows
     * of the DFT matrix in double.
     */
    static void frameDftSpectrumF64Vec(FloatArray x, FloatArray window, FloatArray twiddles, FloatArray spectrum,
                                       int count, int frameLength, int fftLength, int hop, double preemphasis,
                                       int magnitude, int from, int to) {
        int n = fftLength;
        int bins = n / 2 + 1;
        int length = Math.min(frameLength, n);
        double[][] cosRows = new double[bins][length];
        double[][] sinRows = new double[bins][length];
        for (int k = 0; k < bins; k++) {
            for (int j = 0; j < length; j++) {
                long e = 4L * (int) ((long) k * j % n);
                cosRows[k][j] = pairF64(twiddles, e);
                sinRows[k][j] = pairF64(twiddles, e + 2);
            }
        }
        double[] frame = new double[length];
        for (int t = from; t < to; t++) {
            long base = (long) t * hop;
            for (int j = 0; j < length; j++) {
                frame[j] = windowedF64(x, window, base, j, frameLength, preemphasis);
            }
            for (int k = 0; k < bins; k++) {
                double re = dotF64(cosRows[k], frame);
                double im = dotF64(sinRows[k], frame);
                double power = re * re + im * im;
                spectrum.set((long) t * bins + k, (float) (magnitude != 0 ? Math.sqrt(power) : power));
            }
        }
    }

    private static double dotF64(double[] a, double[] b) {
        DoubleVector acc = DoubleVector.zero(D);
        int i = 0;
        for (int bound = D.loopBound(a.length); i < bound; i += D.length()) {
            acc = DoubleVector.fromArray(D, a, i).fma(DoubleVector.fromArray(D, b, i), acc);
        }
        double sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    static void melLogVec(FloatArray spectrum, FloatArray weights, IntArray firstBin, IntArray lastBin,
                          FloatArray out, int count, int bins, int mels, int valid, float offset, float floor,
                          float scale, int from, int to) {
        MemorySegment ss = spectrum.segment();
        MemorySegment ws = weights.segment();
        int[] first = new int[mels];
        int[] width = new int[mels];
        for (int m = 0; m < mels; m++) {
            first[m] = firstBin.get(m);
            width[m] = Math.max(0, lastBin.get(m) - first[m] + 1);
        }
        for (int t = from; t < to; t++) {
            long o = (long) t * mels;
            if (t >= valid) {
                for (int m = 0; m < mels; m++) {
                    out.set(o + m, 0.0f);
                }
                continue;
            }
            for (int m = 0; m < mels; m++) {
                float mel = width[m] == 0 ? 0.0f
                        : Vectors.dot(ws, (long) m * bins + first[m], ss, (long) t * bins + first[m], width[m]);
                out.set(o + m, scale * (float) Math.log(Math.max(mel + offset, floor)));
            }
        }
    }
}
