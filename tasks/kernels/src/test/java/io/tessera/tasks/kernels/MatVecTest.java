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

class MatVecTest {

    /** Every weight type with awkward sizes: one row, odd rows, k = 1 and odd k where allowed. */
    static Stream<Arguments> shapes() {
        List<Arguments> cases = new ArrayList<>();
        for (Type type : Type.values()) {
            boolean quant = type == Type.Q8_0 || type == Type.Q4_0;
            int[][] sizes = quant
                    ? new int[][] {{1, 32}, {7, 96}, {33, 320}, {64, 2560}}
                    : new int[][] {{1, 1}, {7, 13}, {33, 67}, {64, 2560}};
            for (int[] s : sizes) {
                cases.add(Arguments.of(type, s[0], s[1]));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} n={1} k={2}")
    @MethodSource("shapes")
    void plainBodyAgainstDoubleProductOfDecodedWeights(Type type, int n, int k) {
        SplittableRandom rnd = TestArrays.random(n * 131L + k + type.ordinal());
        TestWeights w = TestWeights.random(type, rnd, n, k);
        FloatArray x = TestArrays.floats(rnd, k, 1);
        FloatArray y = TestArrays.nans(n);
        w.matVec(x, y);
        // float sums of k products: relative error ~ sqrt(k) * 2^-24 per output
        assertThat(TestArrays.nmse(w.product(x, 1), y)).isLessThan(1e-11);
    }

    /**
     * The Vector forms sum lane-wise partial sums and then reduce the lanes, so the rounding order
     * differs from the plain body; for these sizes that costs a few float ulps per output, NMSE
     * below 1e-11 (bit-equality would be wrong to ask for).
     */
    @ParameterizedTest(name = "{0} n={1} k={2}")
    @MethodSource("shapes")
    void vectorFormMatchesPlainBodyOverSlices(Type type, int n, int k) {
        SplittableRandom rnd = TestArrays.random(n * 17L + k + type.ordinal());
        TestWeights w = TestWeights.random(type, rnd, n, k);
        FloatArray x = TestArrays.floats(rnd, k, 1);
        FloatArray plain = TestArrays.nans(n);
        FloatArray vec = TestArrays.nans(n);
        w.matVec(x, plain);
        int[] cuts = TestArrays.cuts(n);
        for (int s = 0; s + 1 < cuts.length; s++) {
            w.matVecVec(x, vec, cuts[s], cuts[s + 1]);
        }
        assertThat(TestArrays.nmse(plain, vec)).isLessThan(1e-11);
    }

    @Test
    void vectorFormWritesOnlyItsRows() {
        for (Type type : Type.values()) {
            SplittableRandom rnd = TestArrays.random(type.ordinal());
            TestWeights w = TestWeights.random(type, rnd, 6, 64);
            FloatArray x = TestArrays.floats(rnd, 64, 1);
            FloatArray y = TestArrays.nans(6);
            w.matVecVec(x, y, 2, 5);
            for (int i = 0; i < 6; i++) {
                assertThat(Float.isNaN(y.get(i))).as("%s row %d", type, i).isEqualTo(i < 2 || i == 5);
            }
        }
    }

    @Test
    void identityAndKnownQuantisedRow() {
        FloatArray eye = FloatArray.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
        FloatArray y = FloatArray.allocate(3);
        MatVec.matVecF32(eye, FloatArray.of(4, -5, 6), y, 3, 3);
        assertThat(y.toArray()).containsExactly(4, -5, 6);

        // one Q4_0 block with d = 0.5 and every byte 0x9F: elements 0..15 are 0.5 * (15 - 8),
        // elements 16..31 are 0.5 * (9 - 8); against x = 1 the sum is 16 * 3.5 + 16 * 0.5 = 64
        byte[] block = new byte[18];
        short half = Float.floatToFloat16(0.5f);
        block[0] = (byte) half;
        block[1] = (byte) (half >> 8);
        for (int j = 2; j < 18; j++) {
            block[j] = (byte) 0x9F;
        }
        FloatArray ones = FloatArray.allocate(32);
        ones.fill(1);
        FloatArray out = FloatArray.allocate(1);
        MatVec.matVecQ4_0(io.tessera.tasks.api.ByteArray.of(block), ones, out, 1, 32);
        assertThat(out.get(0)).isEqualTo(64f);
        MatVec.matVecQ4_0Vec(io.tessera.tasks.api.ByteArray.of(block), ones, out, 1, 32, 0, 1);
        assertThat(out.get(0)).isEqualTo(64f);
    }
}
