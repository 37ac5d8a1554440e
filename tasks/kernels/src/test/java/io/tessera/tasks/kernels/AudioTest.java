package io.tessera.tasks.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.IntArray;

/**
 * The audio kernels' plain bodies and JVM forms against a double-precision direct DFT written
 * here and against closed forms (a cosine on a bin, HTK pre-emphasis of a ramp, hand-computed
 * mel sums and clamps).
 */
class AudioTest {

    static FloatArray twiddles(int n, boolean sine) {
        FloatArray a = FloatArray.allocate(n);
        for (int j = 0; j < n; j++) {
            double angle = 2 * Math.PI * j / n;
            a.set(j, (float) (sine ? Math.sin(angle) : Math.cos(angle)));
        }
        return a;
    }

    /** |X[k]|² of each row by the textbook sum in double. */
    static double[] referencePower(FloatArray frames, int count, int n) {
        int bins = n / 2 + 1;
        double[] out = new double[count * bins];
        for (int t = 0; t < count; t++) {
            for (int k = 0; k < bins; k++) {
                double re = 0;
                double im = 0;
                for (int j = 0; j < n; j++) {
                    double angle = 2 * Math.PI * ((long) k * j % n) / n;
                    re += frames.get((long) t * n + j) * Math.cos(angle);
                    im -= frames.get((long) t * n + j) * Math.sin(angle);
                }
                out[t * bins + k] = re * re + im * im;
            }
        }
        return out;
    }

    private interface Spectrum {
        void run(FloatArray frames, FloatArray cos, FloatArray sin, FloatArray out, int count, int n, int magnitude);
    }

    private static void checkAgainstDirectSum(Spectrum kernel, int n, int count) {
        SplittableRandom rnd = TestArrays.random(n * 7L + count);
        FloatArray frames = TestArrays.floats(rnd, (long) count * n, 1);
        double[] want = referencePower(frames, count, n);
        FloatArray power = TestArrays.nans((long) count * (n / 2 + 1));
        FloatArray magnitude = TestArrays.nans((long) count * (n / 2 + 1));
        kernel.run(TestArrays.copyOf(frames), twiddles(n, false), twiddles(n, true), power, count, n, 0);
        kernel.run(TestArrays.copyOf(frames), twiddles(n, false), twiddles(n, true), magnitude, count, n, 1);
        assertThat(TestArrays.nmse(want, power)).as("power, n=" + n).isLessThan(1e-11);
        double[] root = new double[want.length];
        for (int i = 0; i < want.length; i++) {
            root[i] = Math.sqrt(want[i]);
        }
        assertThat(TestArrays.nmse(root, magnitude)).as("magnitude, n=" + n).isLessThan(1e-11);
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {2, 4, 8, 64, 512, 1024})
    void radix2SpectrumMatchesTheDirectSum(int n) {
        checkAgainstDirectSum(Audio::fftSpectrum, n, 3);
        checkAgainstDirectSum((f, c, s, o, count, size, mag) -> Audio.fftSpectrumVec(f, c, s, o, count, size, mag, 0, count),
                n, 3);
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 7, 64, 400})
    void directSpectrumMatchesTheDirectSum(int n) {
        checkAgainstDirectSum(Audio::dftSpectrum, n, 5);
        checkAgainstDirectSum((f, c, s, o, count, size, mag) -> Audio.dftSpectrumVec(f, c, s, o, count, size, mag, 0, count),
                n, 5);
    }

    @Test
    void aCosineOnABinHasPowerOfHalfTheSizeSquared() {
        int n = 512;
        int bin = 37;
        FloatArray frames = FloatArray.allocate(n);
        for (int j = 0; j < n; j++) {
            frames.set(j, (float) (0.5 * Math.cos(2 * Math.PI * bin * j / n)));
        }
        FloatArray fft = TestArrays.nans(n / 2 + 1);
        FloatArray dft = TestArrays.nans(n / 2 + 1);
        Audio.dftSpectrum(TestArrays.copyOf(frames), twiddles(n, false), twiddles(n, true), dft, 1, n, 1);
        Audio.fftSpectrumVec(frames, twiddles(n, false), twiddles(n, true), fft, 1, n, 1, 0, 1);
        for (FloatArray s : new FloatArray[] {fft, dft}) {
            for (int k = 0; k <= n / 2; k++) {
                assertThat((double) s.get(k)).as("bin " + k).isCloseTo(k == bin ? 0.5 * n / 2 : 0, within(2e-3));
            }
        }
    }

    /** v as a (hi, lo) float pair at {@code at}. */
    static void setPair(FloatArray pairs, long at, double v) {
        pairs.set(at, (float) v);
        pairs.set(at + 1, (float) (v - (float) v));
    }

    static FloatArray twiddlePairs(int n) {
        FloatArray a = FloatArray.allocate(4L * n);
        for (int j = 0; j < n; j++) {
            setPair(a, 4L * j, Math.cos(2 * Math.PI * j / n));
            setPair(a, 4L * j + 2, Math.sin(2 * Math.PI * j / n));
        }
        return a;
    }

    /** Periodic Hann of length l. */
    static double[] hann(int l) {
        double[] w = new double[l];
        for (int i = 0; i < l; i++) {
            w[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / l);
        }
        return w;
    }

    static FloatArray pairs(double[] v) {
        FloatArray a = FloatArray.allocate(2L * v.length);
        for (int i = 0; i < v.length; i++) {
            setPair(a, 2L * i, v[i]);
        }
        return a;
    }

    /** |X[k]|² of HTK-pre-emphasised, windowed, zero-filled frames of x, all in double, by the direct sum. */
    static double[] referenceFramedPower(FloatArray x, double[] window, int count, int n, int hop, double p) {
        int l = window.length;
        int bins = n / 2 + 1;
        double[] out = new double[count * bins];
        double[] frame = new double[n];
        for (int t = 0; t < count; t++) {
            long base = (long) t * hop;
            for (int j = 0; j < l; j++) {
                double e = j == 0 ? x.get(base) * (1 - p) : x.get(base + j) - p * x.get(base + j - 1);
                frame[j] = e * window[j];
            }
            for (int k = 0; k < bins; k++) {
                double re = 0;
                double im = 0;
                for (int j = 0; j < l; j++) {
                    double angle = 2 * Math.PI * ((long) k * j % n) / n;
                    re += frame[j] * Math.cos(angle);
                    im -= frame[j] * Math.sin(angle);
                }
                out[t * bins + k] = re * re + im * im;
            }
        }
        return out;
    }

    private interface FramedSpectrum {
        void run(FloatArray x, FloatArray window, FloatArray twiddles, FloatArray out, int count, int frameLength, int n,
                 int hop, double preemphasis, int magnitude);
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {2, 8, 64, 512, 1024})
    void fusedRadix2SpectrumInDoubleMatchesTheDirectSum(int n) {
        checkFramedAgainstDirectSum(Audio::frameFftSpectrumF64, n, Math.max(1, n / 2 + n / 8), 0.97);
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 7, 64, 400})
    void fusedDirectSpectrumInDoubleMatchesTheDirectSum(int n) {
        checkFramedAgainstDirectSum(Audio::frameDftSpectrumF64, n, n, n == 400 ? 0 : 0.97);
        checkFramedAgainstDirectSum((x, w, tw, o, count, l, size, hop, p, mag) -> Audio.frameDftSpectrumF64Vec(x, w, tw, o,
                count, l, size, hop, p, mag, 0, count), n, n, n == 400 ? 0 : 0.97);
    }

    /** Power and magnitude bin by bin within 1e-6 relative: the float store is the only rounding that shows. */
    private static void checkFramedAgainstDirectSum(FramedSpectrum kernel, int n, int frameLength, double p) {
        int count = 3;
        int hop = Math.max(1, frameLength / 3);
        SplittableRandom rnd = TestArrays.random(n * 13L + frameLength);
        FloatArray x = TestArrays.floats(rnd, (long) (count - 1) * hop + frameLength, 1);
        double[] window = hann(frameLength);
        double[] want = referenceFramedPower(x, window, count, n, hop, p);
        int bins = n / 2 + 1;
        for (int magnitude = 0; magnitude <= 1; magnitude++) {
            FloatArray out = TestArrays.nans((long) count * bins);
            kernel.run(x, pairs(window), twiddlePairs(n), out, count, frameLength, n, hop, p, magnitude);
            for (int i = 0; i < want.length; i++) {
                double w = magnitude != 0 ? Math.sqrt(want[i]) : want[i];
                assertThat((double) out.get(i)).as("bin " + i % bins + " of frame " + i / bins + ", n=" + n)
                        .isCloseTo(w, within(1e-6 * w + 1e-30));
            }
        }
    }

    /**
     * Gemma 3n's framing of a 1 kHz tone: 512-sample Hann frames of pre-emphasised samples in a
     * 1024 FFT. The bins far from the tone lie 150 dB and more under the peak; in double each bin
     * down to 1e-8 of the peak magnitude keeps 1e-5 relative accuracy, while the float kernels are
     * off there by more than 1% (the rounding noise of a float transform).
     */
    @Test
    void doubleSpectrumResolvesBinsFarBelowAToneWhereFloatDoesNot() {
        int n = 1024;
        int l = 512;
        int hop = 160;
        int count = 4;
        double p = 0.97;
        FloatArray x = FloatArray.allocate((long) (count - 1) * hop + l);
        for (int i = 0; i < x.length(); i++) {
            x.set(i, (float) Math.sin(2 * Math.PI * 1000 * i / 16000));
        }
        double[] window = hann(l);
        double[] want = referenceFramedPower(x, window, count, n, hop, p);
        int bins = n / 2 + 1;
        FloatArray inDouble = TestArrays.nans((long) count * bins);
        Audio.frameFftSpectrumF64(x, pairs(window), twiddlePairs(n), inDouble, count, l, n, hop, p, 1);
        FloatArray windowF = FloatArray.allocate(l);
        for (int i = 0; i < l; i++) {
            windowF.set(i, (float) window[i]);
        }
        FloatArray frames = FloatArray.allocate((long) count * n);
        Audio.frame(x, windowF, frames, count, l, n, hop, (float) p);
        FloatArray inFloat = TestArrays.nans((long) count * bins);
        Audio.fftSpectrum(frames, twiddles(n, false), twiddles(n, true), inFloat, count, n, 1);
        double peak = 0;
        for (double w : want) {
            peak = Math.max(peak, Math.sqrt(w));
        }
        double worstDouble = 0;
        double worstFloat = 0;
        double smallest = peak;
        for (int i = 0; i < want.length; i++) {
            double w = Math.sqrt(want[i]);
            if (w < 1e-8 * peak) {
                continue;
            }
            smallest = Math.min(smallest, w);
            worstDouble = Math.max(worstDouble, Math.abs(inDouble.get(i) - w) / w);
            worstFloat = Math.max(worstFloat, Math.abs(inFloat.get(i) - w) / w);
        }
        assertThat(smallest).as("the tone's spectrum reaches 150 dB under its peak").isLessThan(peak * 3e-8);
        assertThat(worstDouble).as("relative error in double").isLessThan(1e-5);
        assertThat(worstFloat).as("relative error in float").isGreaterThan(1e-2);
    }

    @Test
    void framesApplyHtkPreEmphasisThenTheWindowAndZeroFill() {
        FloatArray ramp = FloatArray.allocate(40);
        for (int i = 0; i < 40; i++) {
            ramp.set(i, i);
        }
        FloatArray window = FloatArray.allocate(6);
        for (int n = 0; n < 6; n++) {
            window.set(n, n + 1);
        }
        FloatArray frames = TestArrays.nans(3 * 8);
        Audio.frame(ramp, window, frames, 3, 6, 8, 10, 0.5f);
        for (int t = 0; t < 3; t++) {
            int base = 10 * t;
            // y[0] = x[base]·(1 − p); y[n] = x[base+n] − p·x[base+n−1] = (base + n + 1) / 2 for p = 1/2
            assertThat(frames.get(8L * t)).isEqualTo(base * 0.5f);
            for (int n = 1; n < 6; n++) {
                assertThat(frames.get(8L * t + n)).isEqualTo((base + n + 1) * 0.5f * (n + 1));
            }
            assertThat(frames.get(8L * t + 6)).isZero();
            assertThat(frames.get(8L * t + 7)).isZero();
        }
    }

    @Test
    void melLogSumsEachFilterOverItsSupportAndZeroesInvalidFrames() {
        // 2 frames, 4 bins, 3 filters: [0..1], [1..3], empty
        FloatArray spectrum = FloatArray.of(1, 2, 3, 4, 10, 20, 30, 40);
        FloatArray weights = FloatArray.of(0.5f, 1, 99, 99, 99, 1, 1, 0.25f, 99, 99, 99, 99);
        IntArray first = TestArrays.ints(0, 1, 4);
        IntArray last = TestArrays.ints(1, 3, -1);
        for (boolean vector : new boolean[] {false, true}) {
            FloatArray out = TestArrays.nans(6);
            if (vector) {
                Audio.melLogVec(spectrum, weights, first, last, out, 2, 4, 3, 1, 0.5f, 1e-3f, 2f, 0, 2);
            } else {
                Audio.melLog(spectrum, weights, first, last, out, 2, 4, 3, 1, 0.5f, 1e-3f, 2f);
            }
            assertThat((double) out.get(0)).isCloseTo(2 * Math.log(2.5 + 0.5), within(1e-6));
            assertThat((double) out.get(1)).isCloseTo(2 * Math.log(6.0 + 0.5), within(1e-6));
            assertThat((double) out.get(2)).isCloseTo(2 * Math.log(0.5), within(1e-6));
            assertThat(out.toArray()).endsWith(0, 0, 0);
        }
        FloatArray floored = TestArrays.nans(3);
        Audio.melLog(spectrum, weights, first, last, floored, 1, 4, 3, 1, 0f, 5f, 1f);
        assertThat((double) floored.get(2)).isCloseTo(Math.log(5), within(1e-6));
    }

    @Test
    void clampToMaxRaisesToTheRangeFloorScalesAndTransposesPerChunk() {
        // 4 frames x 2 mels, chunks of 2 frames; max 10, range 8: floor 2
        FloatArray x = FloatArray.of(1, 10, 3, -5, 7, 2, 0, 4);
        FloatArray out = TestArrays.nans(8);
        Audio.clampToMax(x, FloatArray.of(10), out, 4, 2, 2, 8f, 4f, 0.25f);
        // chunk 0: mel 0 over frames 0,1 = (2, 3); mel 1 = (10, 2); chunk 1: mel 0 = (7, 2), mel 1 = (2, 4)
        assertThat(out.toArray()).containsExactly(1.5f, 1.75f, 3.5f, 1.5f, 2.75f, 1.5f, 1.5f, 2f);
    }
}
