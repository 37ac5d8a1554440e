package io.tessera.tasks.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.IntArray;

class RopeTest {

    /**
     * The rotate-half formula in double: x * cos + rotate_half(x) * sin over the first d dims,
     * rotate_half(x) = [-x2, x1], with angle (pos / factor) * base^(-2i / freqDims).
     */
    private static double[] reference(FloatArray x, int[] positions, int heads, int headDim, int d, int pairs,
                                      int freqDims, double base, double factor) {
        double[] y = TestArrays.toDoubles(x);
        for (int t = 0; t < positions.length; t++) {
            for (int h = 0; h < heads; h++) {
                int o = (t * heads + h) * headDim;
                double[] x1 = new double[d / 2];
                double[] x2 = new double[d / 2];
                for (int i = 0; i < d / 2; i++) {
                    x1[i] = x.get(o + i);
                    x2[i] = x.get(o + d / 2 + i);
                }
                for (int i = 0; i < pairs; i++) {
                    double angle = positions[t] / factor * Math.pow(base, -2.0 * i / freqDims);
                    y[o + i] = x1[i] * Math.cos(angle) - x2[i] * Math.sin(angle);
                    y[o + d / 2 + i] = x2[i] * Math.cos(angle) + x1[i] * Math.sin(angle);
                }
            }
        }
        return y;
    }

    @Test
    void positionZeroIsIdentity() {
        FloatArray x = TestArrays.floats(TestArrays.random(1), 2 * 3 * 8, 1);
        FloatArray before = TestArrays.copyOf(x);
        Rope.rope(x, IntArray.of(0, 0), 2, 3, 8, 8, 10000, 1);
        assertThat(x.toArray()).containsExactly(before.toArray());
    }

    @Test
    void firstPairRotatesByThePositionInRadians() {
        // i = 0 has frequency 1: (1, 0) at position 1 -> (cos 1, sin 1), paired across half the head.
        FloatArray x = FloatArray.of(1, 0, 0, 0);
        Rope.rope(x, IntArray.of(1), 1, 1, 4, 4, 10000, 1);
        assertThat(x.get(0)).isCloseTo((float) Math.cos(1), within(1e-6f));
        assertThat(x.get(2)).isCloseTo((float) Math.sin(1), within(1e-6f));
        assertThat(x.get(1)).isZero();
        assertThat(x.get(3)).isZero();
    }

    @ParameterizedTest(name = "headDim={0} rotary={1} base={2} factor={3}")
    @CsvSource({"8, 8, 10000, 1", "256, 256, 1000000, 8", "64, 32, 10000, 1", "6, 2, 100, 1", "2, 2, 10000, 1"})
    void againstRotateHalfFormula(int headDim, int rotary, float base, float factor) {
        int tokens = 4;
        int heads = 3;
        int[] positions = {0, 1, 17, 300};
        FloatArray x = TestArrays.floats(TestArrays.random(headDim * 31L + rotary), tokens * heads * headDim, 2);
        double[] ref = reference(x, positions, heads, headDim, rotary, rotary / 2, rotary, base, factor);
        Rope.rope(x, IntArray.of(positions), tokens, heads, headDim, rotary, base, factor);
        // angles are float: at position 300 an angle carries ~2e-5 rad of rounding
        assertThat(TestArrays.nmse(ref, x)).isLessThan(1e-9);
    }

    @Test
    void linearScalingDividesPositions() {
        FloatArray a = TestArrays.floats(TestArrays.random(2), 16, 1);
        FloatArray b = TestArrays.copyOf(a);
        Rope.rope(a, IntArray.of(40), 1, 1, 16, 16, 10000, 8);
        Rope.rope(b, IntArray.of(5), 1, 1, 16, 16, 10000, 1);
        assertThat(TestArrays.nmse(a, b)).isLessThan(1e-12);
    }

    @Test
    void rotationPreservesPairNorms() {
        FloatArray x = TestArrays.floats(TestArrays.random(8), 32, 1);
        FloatArray before = TestArrays.copyOf(x);
        Rope.rope(x, IntArray.of(12345), 1, 1, 32, 32, 10000, 1);
        for (int i = 0; i < 16; i++) {
            double n0 = Math.hypot(before.get(i), before.get(i + 16));
            double n1 = Math.hypot(x.get(i), x.get(i + 16));
            assertThat(n1).isCloseTo(n0, within(1e-5));
        }
    }

    @Test
    void proportionalFormRotatesOnlyTheLeadingPairsWithFullHeadFrequencies() {
        int tokens = 2;
        int heads = 2;
        int headDim = 32;
        int pairs = 4;
        int[] positions = {3, 250};
        SplittableRandom rnd = TestArrays.random(21);
        FloatArray x = TestArrays.floats(rnd, tokens * heads * headDim, 1);
        double[] ref = reference(x, positions, heads, headDim, headDim, pairs, headDim, 1e6, 1);
        Rope.ropeProportional(x, IntArray.of(positions), tokens, heads, headDim, pairs, 1e6f, 1);
        assertThat(TestArrays.nmse(ref, x)).isLessThan(1e-9);
    }
}
