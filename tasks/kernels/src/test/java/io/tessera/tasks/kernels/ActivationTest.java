package io.tessera.tasks.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.tessera.tasks.api.FloatArray;

class ActivationTest {

    private static double gelu(double x) {
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }

    @Test
    void knownGeluValues() {
        FloatArray out = FloatArray.allocate(5);
        Activation.geluTanh(FloatArray.of(1, 0, -1, 10, -10), out, 5);
        assertThat(out.get(0)).isCloseTo(0.841192f, within(1e-6f));
        assertThat(out.get(1)).isZero();
        assertThat(out.get(2)).isCloseTo(-0.158808f, within(1e-6f));
        assertThat(out.get(3)).isCloseTo(10f, within(1e-5f));
        assertThat(out.get(4)).isCloseTo(0f, within(1e-6f));
    }

    @Test
    void geluAgainstDoubleFormula() {
        int n = 999;
        FloatArray x = TestArrays.floats(TestArrays.random(3), n, 6);
        double[] ref = new double[n];
        for (int i = 0; i < n; i++) {
            ref[i] = gelu(x.get(i));
        }
        FloatArray out = TestArrays.nans(n);
        Activation.geluTanh(x, out, n);
        assertThat(TestArrays.nmse(ref, out)).isLessThan(1e-12);
    }

    @Test
    void gegluSeparateAndFusedAgree() {
        int tokens = 3;
        int ff = 37;
        SplittableRandom rnd = TestArrays.random(4);
        FloatArray gate = TestArrays.floats(rnd, tokens * ff, 3);
        FloatArray up = TestArrays.floats(rnd, tokens * ff, 3);
        FloatArray fused = FloatArray.allocate(tokens * 2 * ff);
        double[] ref = new double[tokens * ff];
        for (int t = 0; t < tokens; t++) {
            for (int j = 0; j < ff; j++) {
                fused.set(t * 2L * ff + j, gate.get(t * ff + j));
                fused.set(t * 2L * ff + ff + j, up.get(t * ff + j));
                ref[t * ff + j] = gelu(gate.get(t * ff + j)) * up.get(t * ff + j);
            }
        }
        FloatArray out = TestArrays.nans(tokens * ff);
        Activation.geglu(gate, up, out, tokens * ff);
        assertThat(TestArrays.nmse(ref, out)).isLessThan(1e-12);
        FloatArray outFused = TestArrays.nans(tokens * ff);
        Activation.gegluFused(fused, outFused, tokens, ff);
        assertThat(TestArrays.nmse(ref, outFused)).isLessThan(1e-12);
    }
}
