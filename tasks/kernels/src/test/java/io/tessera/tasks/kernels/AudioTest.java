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
