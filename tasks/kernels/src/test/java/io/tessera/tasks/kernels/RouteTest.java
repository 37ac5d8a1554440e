package io.tessera.tasks.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.IntArray;
import io.tessera.tasks.kernels.TestWeights.Type;

class RouteTest {

    @Test
    void softmaxTopTwoOfFourKnownValues() {
        // softmax(1, 3, 2, 0) = (0.0871, 0.6439, 0.2369, 0.0321); top two 1 then 2, renormalised
        FloatArray logits = FloatArray.of(1, 3, 2, 0);
        IntArray ids = IntArray.allocate(2);
        FloatArray w = FloatArray.allocate(2);
        Route.topK(logits, ids, w, 1, 4, 2, 0, 0);
        assertThat(ids.get(0)).isEqualTo(1);
        assertThat(ids.get(1)).isEqualTo(2);
        double sum = Math.exp(1) + Math.exp(3) + Math.exp(2) + 1;
        assertThat(w.get(0)).isCloseTo((float) (Math.exp(3) / sum), within(1e-7f));
        assertThat(w.get(1)).isCloseTo((float) (Math.exp(2) / sum), within(1e-7f));
        Route.topK(logits, ids, w, 1, 4, 2, 0, 1);
        assertThat(w.get(0)).isCloseTo((float) (1 / (1 + Math.exp(-1))), within(1e-7f));
        assertThat(w.get(1)).isCloseTo((float) (1 / (1 + Math.exp(1))), within(1e-7f));
    }

    @Test
    void sigmoidGatesAndTiesGoToTheLowerExpert() {
        FloatArray logits = FloatArray.of(0.5f, 2, 0.5f, -1, 2);
        IntArray ids = IntArray.allocate(3);
        FloatArray w = FloatArray.allocate(3);
        Route.topK(logits, ids, w, 1, 5, 3, 1, 0);
        assertThat(new int[] {ids.get(0), ids.get(1), ids.get(2)}).containsExactly(1, 4, 0);
        assertThat(w.get(0)).isCloseTo((float) (1 / (1 + Math.exp(-2))), within(1e-7f));
        assertThat(w.get(2)).isCloseTo((float) (1 / (1 + Math.exp(-0.5))), within(1e-7f));
    }

    @Test
    void everyTokenChoosesDistinctExpertsInDescendingOrder() {
        SplittableRandom rnd = TestArrays.random(7);
        int tokens = 9;
        int experts = 128;
        int used = 8;
        FloatArray logits = TestArrays.floats(rnd, (long) tokens * experts, 3);
        IntArray ids = IntArray.allocate(tokens * used);
        FloatArray w = FloatArray.allocate(tokens * used);
        Route.topK(logits, ids, w, tokens, experts, used, 0, 1);
        for (int t = 0; t < tokens; t++) {
            double[] sorted = new double[experts];
            for (int e = 0; e < experts; e++) {
                sorted[e] = logits.get((long) t * experts + e);
            }
            java.util.Arrays.sort(sorted);
            double sum = 0;
            for (int r = 0; r < used; r++) {
                int id = ids.get(t * used + r);
                assertThat((double) logits.get((long) t * experts + id)).isEqualTo(sorted[experts - 1 - r]);
                sum += w.get(t * used + r);
            }
            assertThat(sum).isCloseTo(1.0, within(1e-6));
        }
    }

    @Test
    void combineIsTheScaledWeightedSumOfEachTokensSlots() {
        SplittableRandom rnd = TestArrays.random(11);
        int tokens = 3;
        int used = 2;
        int n = 5;
        FloatArray y = TestArrays.floats(rnd, tokens * used * n, 1);
        IntArray ids = TestArrays.ints(0, 3, 2, 2, 1, 0);
        FloatArray w = TestArrays.floats(rnd, tokens * used, 1);
        FloatArray scale = FloatArray.of(0.5f, 2, -1, 4);
        FloatArray out = TestArrays.nans(tokens * n);
        Route.combine(y, ids, w, scale, out, tokens, used, n);
        double[] expected = new double[tokens * n];
        for (int t = 0; t < tokens; t++) {
            for (int j = 0; j < n; j++) {
                for (int r = 0; r < used; r++) {
                    int slot = t * used + r;
                    expected[t * n + j] += (double) y.get(slot * n + j) * scale.get(ids.get(slot)) * w.get(slot);
                }
            }
        }
        assertThat(TestArrays.nmse(expected, out)).isLessThan(1e-12);
    }

    /** Each slot's product is the double product of its expert's slice with its group's input row. */
    @ParameterizedTest
    @EnumSource(Type.class)
    void expertProductsReadOnlyTheChosenSlices(Type type) {
        SplittableRandom rnd = TestArrays.random(type.ordinal() + 100);
        int experts = 5;
        int n = 7;
        int k = 64;
        int slots = 6;
        int group = 3;
        TestWeights all = TestWeights.random(type, rnd, experts * n, k);
        FloatArray x = TestArrays.floats(rnd, (long) slots / group * k, 1);
        IntArray ids = TestArrays.ints(4, 0, 2, 2, 4, 1);
        FloatArray y = TestArrays.nans((long) slots * n);
        FloatArray vec = TestArrays.nans((long) slots * n);
        switch (type) {
            case F32 -> {
                ExpertMatVec.matVecExpertsF32((FloatArray) all.array(), x, ids, y, slots, group, n, k);
                ExpertMatVec.matVecExpertsF32Vec((FloatArray) all.array(), x, ids, vec, slots, group, n, k, 0, n);
            }
            case F16 -> {
                ExpertMatVec.matVecExpertsF16((io.tessera.tasks.api.HalfArray) all.array(), x, ids, y, slots, group, n, k);
                ExpertMatVec.matVecExpertsF16Vec((io.tessera.tasks.api.HalfArray) all.array(), x, ids, vec, slots, group,
                        n, k, 0, n);
            }
            case BF16 -> {
                ExpertMatVec.matVecExpertsBF16((io.tessera.tasks.api.BFloat16Array) all.array(), x, ids, y, slots, group,
                        n, k);
                ExpertMatVec.matVecExpertsBF16Vec((io.tessera.tasks.api.BFloat16Array) all.array(), x, ids, vec, slots,
                        group, n, k, 0, n);
            }
            case Q8_0 -> {
                ExpertMatVec.matVecExpertsQ8_0((io.tessera.tasks.api.ByteArray) all.array(), x, ids, y, slots, group, n,
                        k);
                ExpertMatVec.matVecExpertsQ8_0Vec((io.tessera.tasks.api.ByteArray) all.array(), x, ids, vec, slots, group,
                        n, k, 0, n);
            }
            case Q4_0 -> {
                ExpertMatVec.matVecExpertsQ4_0((io.tessera.tasks.api.ByteArray) all.array(), x, ids, y, slots, group, n,
                        k);
                ExpertMatVec.matVecExpertsQ4_0Vec((io.tessera.tasks.api.ByteArray) all.array(), x, ids, vec, slots, group,
                        n, k, 0, n);
            }
        }
        double[] expected = new double[slots * n];
        for (int s = 0; s < slots; s++) {
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int j = 0; j < k; j++) {
                    sum += all.values()[(ids.get(s) * n + i) * k + j] * x.get((long) (s / group) * k + j);
                }
                expected[s * n + i] = sum;
            }
        }
        assertThat(TestArrays.nmse(expected, y)).isLessThan(1e-11);
        assertThat(TestArrays.nmse(expected, vec)).isLessThan(1e-11);
    }
}
