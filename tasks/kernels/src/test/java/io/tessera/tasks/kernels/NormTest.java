package io.tessera.tasks.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.tessera.tasks.api.FloatArray;

class NormTest {
    private static final float EPS = 1e-6f;

    /** y = x / sqrt(mean x^2 + eps) * (offset + w), per row, in double. */
    private static double[] rmsReference(FloatArray x, FloatArray w, int rows, int dim, double offset, boolean scaled) {
        double[] y = new double[rows * dim];
        for (int r = 0; r < rows; r++) {
            double ss = 0;
            for (int j = 0; j < dim; j++) {
                ss += (double) x.get(r * dim + j) * x.get(r * dim + j);
            }
            double inv = 1 / Math.sqrt(ss / dim + EPS);
            for (int j = 0; j < dim; j++) {
                y[r * dim + j] = x.get(r * dim + j) * inv * (scaled ? offset + w.get(j) : 1);
            }
        }
        return y;
    }

    @Test
    void constantRowClosedForm() {
        FloatArray x = FloatArray.of(3, 3, 3, 3);
        FloatArray w = FloatArray.of(1, 2, -1, 0.5f);
        FloatArray out = FloatArray.allocate(4);
        Norm.rmsNorm(x, w, out, 1, 4, 0);
        assertThat(out.toArray()).containsExactly(1, 2, -1, 0.5f);
        Norm.rmsNormOnePlus(x, w, out, 1, 4, 0);
        assertThat(out.toArray()).containsExactly(2, 3, 0, 1.5f);
        // mean of squares 12.5 for (3, 4): 3/sqrt(12.5), 4/sqrt(12.5)
        Norm.rmsNormNoScale(FloatArray.of(3, 4), out, 1, 2, 0);
        assertThat(out.get(0)).isCloseTo((float) (3 / Math.sqrt(12.5)), within(1e-6f));
        assertThat(out.get(1)).isCloseTo((float) (4 / Math.sqrt(12.5)), within(1e-6f));
    }

    @ParameterizedTest(name = "rows={0} dim={1}")
    @CsvSource({"1, 1", "3, 7", "5, 64", "2, 1153", "4, 2560"})
    void rowFormsAgainstDoubleReference(int rows, int dim) {
        SplittableRandom rnd = TestArrays.random(rows * 1000L + dim);
        FloatArray x = TestArrays.floats(rnd, (long) rows * dim, 4);
        FloatArray w = TestArrays.floats(rnd, dim, 1);
        FloatArray out = TestArrays.nans((long) rows * dim);
        Norm.rmsNorm(x, w, out, rows, dim, EPS);
        assertThat(TestArrays.nmse(rmsReference(x, w, rows, dim, 0, true), out)).isLessThan(1e-12);
        Norm.rmsNormOnePlus(x, w, out, rows, dim, EPS);
        assertThat(TestArrays.nmse(rmsReference(x, w, rows, dim, 1, true), out)).isLessThan(1e-12);
        Norm.rmsNormNoScale(x, out, rows, dim, EPS);
        assertThat(TestArrays.nmse(rmsReference(x, w, rows, dim, 0, false), out)).isLessThan(1e-12);
    }

    @Test
    void perHeadFormNormalisesEachHeadSeparately() {
        int tokens = 3;
        int heads = 4;
        int headDim = 20;
        SplittableRandom rnd = TestArrays.random(7);
        FloatArray x = TestArrays.floats(rnd, tokens * heads * headDim, 5);
        FloatArray w = TestArrays.floats(rnd, headDim, 1);
        FloatArray out = TestArrays.nans(tokens * heads * headDim);
        Norm.rmsNormHeads(x, w, out, tokens, heads, headDim, EPS);
        assertThat(TestArrays.nmse(rmsReference(x, w, tokens * heads, headDim, 0, true), out)).isLessThan(1e-12);
        Norm.rmsNormHeadsOnePlus(x, w, out, tokens, heads, headDim, EPS);
        assertThat(TestArrays.nmse(rmsReference(x, w, tokens * heads, headDim, 1, true), out)).isLessThan(1e-12);
    }

    @Test
    void inPlaceGivesTheSameResult() {
        SplittableRandom rnd = TestArrays.random(11);
        FloatArray x = TestArrays.floats(rnd, 3 * 10, 2);
        FloatArray w = TestArrays.floats(rnd, 10, 1);
        FloatArray out = FloatArray.allocate(30);
        Norm.rmsNormOnePlus(x, w, out, 3, 10, EPS);
        Norm.rmsNormOnePlus(x, w, x, 3, 10, EPS);
        assertThat(x.toArray()).containsExactly(out.toArray());
    }

    @ParameterizedTest(name = "rows={0} dim={1}")
    @CsvSource({"1, 1", "3, 7", "4, 1152"})
    void layerNormAgainstDoubleReference(int rows, int dim) {
        SplittableRandom rnd = TestArrays.random(rows + 17L * dim);
        FloatArray x = TestArrays.floats(rnd, (long) rows * dim, 3);
        for (int i = 0; i < rows * dim; i++) {
            x.set(i, x.get(i) + 5);
        }
        FloatArray w = TestArrays.floats(rnd, dim, 1);
        FloatArray b = TestArrays.floats(rnd, dim, 1);
        double[] ref = new double[rows * dim];
        for (int r = 0; r < rows; r++) {
            double mean = 0;
            for (int j = 0; j < dim; j++) {
                mean += x.get(r * dim + j);
            }
            mean /= dim;
            double var = 0;
            for (int j = 0; j < dim; j++) {
                var += Math.pow(x.get(r * dim + j) - mean, 2);
            }
            var /= dim;
            for (int j = 0; j < dim; j++) {
                ref[r * dim + j] = (x.get(r * dim + j) - mean) / Math.sqrt(var + EPS) * w.get(j) + b.get(j);
            }
        }
        FloatArray out = TestArrays.nans((long) rows * dim);
        Norm.layerNorm(x, w, b, out, rows, dim, EPS);
        assertThat(TestArrays.nmse(ref, out)).isLessThan(1e-11);
    }

    /**
     * The Vector forms sum the squares in a different order (lane-wise partial sums); the
     * normalised outputs then differ by a few float ulps, hence NMSE well below 1e-12.
     */
    @ParameterizedTest(name = "rows={0} dim={1}")
    @CsvSource({"1, 1", "5, 7", "6, 64", "7, 1153"})
    void vectorFormsMatchThePlainBodiesOnEverySlice(int rows, int dim) {
        SplittableRandom rnd = TestArrays.random(rows * 7L + dim);
        FloatArray x = TestArrays.floats(rnd, (long) rows * dim, 3);
        FloatArray w = TestArrays.floats(rnd, dim, 1);
        FloatArray b = TestArrays.floats(rnd, dim, 1);
        FloatArray plain = TestArrays.nans((long) rows * dim);
        FloatArray vec = TestArrays.nans((long) rows * dim);
        int[] cuts = TestArrays.cuts(rows);

        Norm.rmsNorm(x, w, plain, rows, dim, EPS);
        for (int s = 0; s + 1 < cuts.length; s++) {
            Norm.rmsNormVec(x, w, vec, rows, dim, EPS, cuts[s], cuts[s + 1]);
        }
        assertThat(TestArrays.nmse(plain, vec)).isLessThan(1e-12);

        Norm.rmsNormOnePlus(x, w, plain, rows, dim, EPS);
        for (int s = 0; s + 1 < cuts.length; s++) {
            Norm.rmsNormOnePlusVec(x, w, vec, rows, dim, EPS, cuts[s], cuts[s + 1]);
        }
        assertThat(TestArrays.nmse(plain, vec)).isLessThan(1e-12);

        Norm.layerNorm(x, w, b, plain, rows, dim, EPS);
        for (int s = 0; s + 1 < cuts.length; s++) {
            Norm.layerNormVec(x, w, b, vec, rows, dim, EPS, cuts[s], cuts[s + 1]);
        }
        assertThat(TestArrays.nmse(plain, vec)).isLessThan(1e-12);
    }

    @Test
    void perHeadVectorFormsSliceOverTokens() {
        int tokens = 5;
        int heads = 3;
        int headDim = 36;
        SplittableRandom rnd = TestArrays.random(99);
        FloatArray x = TestArrays.floats(rnd, tokens * heads * headDim, 3);
        FloatArray w = TestArrays.floats(rnd, headDim, 1);
        FloatArray plain = TestArrays.nans(tokens * heads * headDim);
        FloatArray vec = TestArrays.nans(tokens * heads * headDim);
        Norm.rmsNormHeads(x, w, plain, tokens, heads, headDim, EPS);
        for (int[] slice : new int[][] {{0, 2}, {2, 3}, {3, 5}}) {
            Norm.rmsNormHeadsVec(x, w, vec, tokens, heads, headDim, EPS, slice[0], slice[1]);
        }
        assertThat(TestArrays.nmse(plain, vec)).isLessThan(1e-12);
        Norm.rmsNormHeadsOnePlus(x, w, plain, tokens, heads, headDim, EPS);
        for (int[] slice : new int[][] {{0, 1}, {1, 5}}) {
            Norm.rmsNormHeadsOnePlusVec(x, w, vec, tokens, heads, headDim, EPS, slice[0], slice[1]);
        }
        assertThat(TestArrays.nmse(plain, vec)).isLessThan(1e-12);
    }

    @Test
    void vectorFormWritesOnlyItsSlice() {
        int rows = 4;
        int dim = 19;
        SplittableRandom rnd = TestArrays.random(5);
        FloatArray x = TestArrays.floats(rnd, rows * dim, 1);
        FloatArray w = TestArrays.floats(rnd, dim, 1);
        FloatArray out = TestArrays.nans(rows * dim);
        Norm.rmsNormVec(x, w, out, rows, dim, EPS, 1, 3);
        for (int i = 0; i < rows * dim; i++) {
            boolean inside = i >= dim && i < 3 * dim;
            assertThat(Float.isNaN(out.get(i))).as("element %d", i).isEqualTo(!inside);
        }
    }
}
