package io.tessera.tasks.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.tessera.tasks.api.FloatArray;

class SoftmaxTest {

    @Test
    void equalLogitsAreUniform() {
        FloatArray x = FloatArray.of(0.7f, 0.7f, 0.7f, 0.7f, 0.7f);
        FloatArray out = FloatArray.allocate(5);
        Softmax.softmax(x, out, 1, 5, 0);
        for (float p : out.toArray()) {
            assertThat(p).isCloseTo(0.2f, within(1e-7f));
        }
    }

    @Test
    void knownValuesOfOneTwoThree() {
        FloatArray out = FloatArray.allocate(3);
        Softmax.softmax(FloatArray.of(1, 2, 3), out, 1, 3, 0);
        assertThat(out.get(0)).isCloseTo(0.09003057f, within(1e-7f));
        assertThat(out.get(1)).isCloseTo(0.24472847f, within(1e-7f));
        assertThat(out.get(2)).isCloseTo(0.66524096f, within(1e-7f));
    }

    @Test
    void hugeLogitsDoNotOverflow() {
        FloatArray out = FloatArray.allocate(2);
        Softmax.softmax(FloatArray.of(1000, 1001), out, 1, 2, 0);
        assertThat(out.get(0)).isCloseTo((float) (1 / (1 + Math.E)), within(1e-7f));
        assertThat(out.get(1)).isCloseTo((float) (Math.E / (1 + Math.E)), within(1e-7f));
    }

    @Test
    void singleElementIsOne() {
        FloatArray out = FloatArray.allocate(1);
        Softmax.softmax(FloatArray.of(-123), out, 1, 1, 0);
        assertThat(out.get(0)).isEqualTo(1f);
    }

    @ParameterizedTest
    @ValueSource(floats = {0, 30, 5})
    void rowsAgainstDoubleReferenceWithOptionalSoftcap(float cap) {
        int rows = 3;
        int n = 101;
        SplittableRandom rnd = TestArrays.random(13);
        FloatArray x = TestArrays.floats(rnd, rows * n, 20);
        double[] ref = new double[rows * n];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            double[] v = new double[n];
            for (int j = 0; j < n; j++) {
                v[j] = cap > 0 ? cap * Math.tanh(x.get(r * n + j) / cap) : x.get(r * n + j);
                max = Math.max(max, v[j]);
            }
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += Math.exp(v[j] - max);
            }
            for (int j = 0; j < n; j++) {
                ref[r * n + j] = Math.exp(v[j] - max) / sum;
            }
        }
        FloatArray out = TestArrays.nans(rows * n);
        Softmax.softmax(x, out, rows, n, cap);
        assertThat(TestArrays.nmse(ref, out)).isLessThan(1e-11);
    }

    @Test
    void softcapBoundsLogitsAndIsNearIdentityForSmallOnes() {
        FloatArray out = FloatArray.allocate(4);
        Softmax.softcap(FloatArray.of(0, 0.01f, 1000, -1000), out, 4, 30);
        assertThat(out.get(0)).isZero();
        assertThat(out.get(1)).isCloseTo(0.01f, within(1e-8f));
        assertThat(out.get(2)).isCloseTo(30f, within(1e-5f));
        assertThat(out.get(3)).isCloseTo(-30f, within(1e-5f));
        Softmax.softcap(FloatArray.of(30), out, 1, 30);
        assertThat(out.get(0)).isCloseTo((float) (30 * Math.tanh(1)), within(1e-5f));
    }
}
