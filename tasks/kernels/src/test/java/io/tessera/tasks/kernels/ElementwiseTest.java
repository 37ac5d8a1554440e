package io.tessera.tasks.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.tessera.tasks.api.FloatArray;

class ElementwiseTest {

    @Test
    void smallClosedFormValues() {
        FloatArray a = FloatArray.of(1, -2, 3.5f);
        FloatArray b = FloatArray.of(4, 0.5f, -1);
        FloatArray out = FloatArray.allocate(3);
        Elementwise.add(a, b, out, 3);
        assertThat(out.toArray()).containsExactly(5, -1.5f, 2.5f);
        Elementwise.mul(a, b, out, 3);
        assertThat(out.toArray()).containsExactly(4, -1, -3.5f);
        Elementwise.scale(a, out, 3, -2);
        assertThat(out.toArray()).containsExactly(-2, 4, -7);
        Elementwise.addScaled(a, b, out, 3, 0.5f);
        assertThat(out.toArray()).containsExactly(3, -1.75f, 3);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 33, 1000})
    void randomAgainstDoubleArithmetic(int n) {
        SplittableRandom rnd = TestArrays.random(n);
        FloatArray a = TestArrays.floats(rnd, n, 3);
        FloatArray b = TestArrays.floats(rnd, n, 3);
        double[] add = new double[n];
        double[] mul = new double[n];
        double[] res = new double[n];
        for (int i = 0; i < n; i++) {
            add[i] = (double) a.get(i) + b.get(i);
            mul[i] = (double) a.get(i) * b.get(i);
            res[i] = a.get(i) + 0.25 * b.get(i);
        }
        FloatArray out = TestArrays.nans(n);
        Elementwise.add(a, b, out, n);
        assertThat(TestArrays.nmse(add, out)).isLessThan(1e-13);
        Elementwise.mul(a, b, out, n);
        assertThat(TestArrays.nmse(mul, out)).isLessThan(1e-13);
        Elementwise.addScaled(a, b, out, n, 0.25f);
        assertThat(TestArrays.nmse(res, out)).isLessThan(1e-13);
    }

    @Test
    void residualInPlace() {
        FloatArray x = FloatArray.of(1, 2, 3);
        Elementwise.addScaled(x, FloatArray.of(10, 20, 30), x, 3, 1);
        assertThat(x.toArray()).containsExactly(11, 22, 33);
    }

    @Test
    void onlyTheFirstNElementsChange() {
        FloatArray out = TestArrays.nans(5);
        Elementwise.add(FloatArray.of(1, 1, 1, 1, 1), FloatArray.of(1, 1, 1, 1, 1), out, 3);
        assertThat(out.toArray()).containsExactly(2, 2, 2, Float.NaN, Float.NaN);
    }

    @Test
    void addBiasBroadcastsOverRows() {
        FloatArray x = FloatArray.of(1, 2, 3, 4, 5, 6);
        FloatArray out = FloatArray.allocate(6);
        Elementwise.addBias(x, FloatArray.of(10, 20, 30), out, 2, 3);
        assertThat(out.toArray()).containsExactly(11, 22, 33, 14, 25, 36);
    }

    @Test
    void copyMovesASliceBetweenOffsets() {
        FloatArray src = FloatArray.of(0, 1, 2, 3, 4, 5);
        FloatArray dst = TestArrays.nans(8);
        Elementwise.copy(src, 2, dst, 5, 3);
        assertThat(dst.toArray()).containsExactly(Float.NaN, Float.NaN, Float.NaN, Float.NaN, Float.NaN, 2, 3, 4);
    }
}
