package io.tessera.tasks.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.kernels.TestWeights.Type;

class MatMulTest {

    /** Token counts 1, 3 (below a group of four), 6 and 37 (past one 32-token block of the JVM form). */
    static Stream<Arguments> shapes() {
        List<Arguments> cases = new ArrayList<>();
        for (Type type : Type.values()) {
            boolean quant = type == Type.Q8_0 || type == Type.Q4_0;
            int[][] sizes = quant
                    ? new int[][] {{1, 1, 32}, {3, 5, 64}, {6, 9, 96}, {37, 11, 160}}
                    : new int[][] {{1, 1, 1}, {3, 5, 13}, {6, 9, 40}, {37, 11, 67}};
            for (int[] s : sizes) {
                cases.add(Arguments.of(type, s[0], s[1], s[2]));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} tokens={1} n={2} k={3}")
    @MethodSource("shapes")
    void plainBodyAgainstDoubleProduct(Type type, int tokens, int n, int k) {
        SplittableRandom rnd = TestArrays.random(tokens * 1009L + n * 31L + k + type.ordinal());
        TestWeights w = TestWeights.random(type, rnd, n, k);
        FloatArray x = TestArrays.floats(rnd, (long) tokens * k, 1);
        FloatArray y = TestArrays.nans((long) tokens * n);
        w.matMul(x, y, tokens);
        assertThat(TestArrays.nmse(w.product(x, tokens), y)).isLessThan(1e-11);
    }

    /** Lane-wise partial sums change the rounding order; see MatVecTest. */
    @ParameterizedTest(name = "{0} tokens={1} n={2} k={3}")
    @MethodSource("shapes")
    void vectorFormMatchesPlainBodyOverSlices(Type type, int tokens, int n, int k) {
        SplittableRandom rnd = TestArrays.random(tokens * 7L + n * 3L + k + type.ordinal());
        TestWeights w = TestWeights.random(type, rnd, n, k);
        FloatArray x = TestArrays.floats(rnd, (long) tokens * k, 1);
        FloatArray plain = TestArrays.nans((long) tokens * n);
        FloatArray vec = TestArrays.nans((long) tokens * n);
        w.matMul(x, plain, tokens);
        int[] cuts = TestArrays.cuts(n);
        for (int s = 0; s + 1 < cuts.length; s++) {
            w.matMulVec(x, vec, tokens, cuts[s], cuts[s + 1]);
        }
        assertThat(TestArrays.nmse(plain, vec)).isLessThan(1e-11);
    }

    @Test
    void oneTokenEqualsMatVec() {
        for (Type type : Type.values()) {
            SplittableRandom rnd = TestArrays.random(40 + type.ordinal());
            TestWeights w = TestWeights.random(type, rnd, 10, 64);
            FloatArray x = TestArrays.floats(rnd, 64, 1);
            FloatArray a = FloatArray.allocate(10);
            FloatArray b = FloatArray.allocate(10);
            w.matMul(x, a, 1);
            w.matVec(x, b);
            assertThat(a.toArray()).as("%s", type).containsExactly(b.toArray());
        }
    }

    @Test
    void vectorFormWritesOnlyItsRowsForEveryToken() {
        int tokens = 5;
        int n = 6;
        for (Type type : Type.values()) {
            SplittableRandom rnd = TestArrays.random(60 + type.ordinal());
            TestWeights w = TestWeights.random(type, rnd, n, 32);
            FloatArray x = TestArrays.floats(rnd, tokens * 32, 1);
            FloatArray y = TestArrays.nans(tokens * n);
            w.matMulVec(x, y, tokens, 1, 4);
            for (int t = 0; t < tokens; t++) {
                for (int i = 0; i < n; i++) {
                    assertThat(Float.isNaN(y.get(t * n + i))).as("%s token %d row %d", type, t, i)
                            .isEqualTo(i < 1 || i >= 4);
                }
            }
        }
    }
}
