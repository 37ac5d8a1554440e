package io.tessera.tasks.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.IntArray;

class ReduceTest {

    @ParameterizedTest(name = "n={0} groups={1} local={2}")
    @CsvSource({"1, 1, 1", "1000, 4, 16", "1000, 3, 48", "777, 2, 7", "10, 4, 8", "5000, 1, 256"})
    void sumAndMaxAgainstDoubleReference(int n, int groups, int local) {
        SplittableRandom rnd = TestArrays.random(n * 31L + local);
        FloatArray x = TestArrays.floats(rnd, n, 2);
        double sum = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            sum += x.get(i);
            max = Math.max(max, x.get(i));
        }
        FloatArray partials = TestArrays.nans(groups);
        FloatArray out = TestArrays.nans(1);
        WorkGroups.run(groups * local, local, ctx -> Reduce.sumPartials(ctx, x, partials, n));
        WorkGroups.run(local, local, ctx -> Reduce.sumFinish(ctx, partials, out, groups));
        double abs = 0;
        for (int i = 0; i < n; i++) {
            abs += Math.abs(x.get(i));
        }
        assertThat((double) out.get(0)).isCloseTo(sum, within(1e-6 * abs + 1e-7));

        WorkGroups.run(groups * local, local, ctx -> Reduce.maxPartials(ctx, x, partials, n));
        WorkGroups.run(local, local, ctx -> Reduce.maxFinish(ctx, partials, out, groups));
        assertThat((double) out.get(0)).isEqualTo(max);
    }

    @Test
    void groupsWithoutInputGiveTheNeutralElement() {
        FloatArray x = FloatArray.of(5);
        FloatArray partials = TestArrays.nans(3);
        WorkGroups.run(12, 4, ctx -> Reduce.sumPartials(ctx, x, partials, 1));
        assertThat(partials.toArray()).containsExactly(5, 0, 0);
        WorkGroups.run(12, 4, ctx -> Reduce.maxPartials(ctx, x, partials, 1));
        assertThat(partials.toArray()).containsExactly(5, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY);
    }

    private static int argMax(FloatArray x, int n, int groups, int local) {
        FloatArray values = TestArrays.nans(groups);
        IntArray indices = IntArray.allocate(groups);
        IntArray out = IntArray.of(-1);
        WorkGroups.run(groups * local, local, ctx -> Reduce.argMaxPartials(ctx, x, values, indices, n));
        WorkGroups.run(local, local, ctx -> Reduce.argMaxFinish(ctx, values, indices, out, groups));
        return out.get(0);
    }

    @ParameterizedTest(name = "n={0} groups={1} local={2}")
    @CsvSource({"1, 1, 1", "1000, 4, 16", "777, 3, 7", "5, 4, 8", "3000, 2, 256"})
    void argMaxFindsTheFirstLargestValue(int n, int groups, int local) {
        SplittableRandom rnd = TestArrays.random(n + 5L * local);
        FloatArray x = TestArrays.floats(rnd, n, 10);
        int planted = (int) (n * 0.7);
        x.set(planted, 11);
        assertThat(argMax(x, n, groups, local)).isEqualTo(planted);
        // a tie with a later position keeps the earlier one, an earlier tie wins
        if (n > 2) {
            x.set(n - 1, 11);
            assertThat(argMax(x, n, groups, local)).isEqualTo(planted);
            x.set(1, 11);
            assertThat(argMax(x, n, groups, local)).isEqualTo(1);
        }
    }

    @Test
    void argMaxOfEqualOrInfiniteValuesIsTheFirstIndex() {
        FloatArray equal = FloatArray.allocate(50);
        equal.fill(-3);
        assertThat(argMax(equal, 50, 3, 8)).isZero();
        FloatArray minusInf = FloatArray.allocate(9);
        minusInf.fill(Float.NEGATIVE_INFINITY);
        assertThat(argMax(minusInf, 9, 2, 4)).isZero();
    }

    @Test
    void firstFoldStrideIsHalfTheNextPowerOfTwo() {
        assertThat(Reduce.half(1)).isZero();
        assertThat(Reduce.half(2)).isEqualTo(1);
        assertThat(Reduce.half(6)).isEqualTo(4);
        assertThat(Reduce.half(256)).isEqualTo(128);
    }
}
