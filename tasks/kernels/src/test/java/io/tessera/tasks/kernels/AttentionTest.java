package io.tessera.tasks.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.IntArray;

class AttentionTest {

    /** Naive attention in double for one query row, given its explicit mask over keys. */
    private static double[] attendRef(FloatArray q, int qOff, FloatArray keys, FloatArray values, int kvOff,
                                      int kvDim, int headDim, boolean[] visible, double scale, double cap) {
        int n = visible.length;
        double[] s = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            if (!visible[k]) {
                continue;
            }
            double dot = 0;
            for (int d = 0; d < headDim; d++) {
                dot += (double) q.get(qOff + d) * keys.get((long) k * kvDim + kvOff + d);
            }
            s[k] = dot * scale;
            if (cap > 0) {
                s[k] = cap * Math.tanh(s[k] / cap);
            }
            max = Math.max(max, s[k]);
        }
        double sum = 0;
        double[] p = new double[n];
        for (int k = 0; k < n; k++) {
            p[k] = visible[k] ? Math.exp(s[k] - max) : 0;
            sum += p[k];
        }
        double[] out = new double[headDim];
        for (int k = 0; k < n; k++) {
            for (int d = 0; d < headDim; d++) {
                out[d] += p[k] / sum * values.get((long) k * kvDim + kvOff + d);
            }
        }
        return out;
    }

    /** The mask written out case by case, independently of the kernels' expression of it. */
    private static boolean[] mask(int pos, int keys, int window, int[] blocks) {
        boolean[] m = new boolean[keys];
        for (int k = 0; k < keys; k++) {
            boolean causal = k <= pos;
            boolean inWindow = window <= 0 || pos - k < window;
            boolean sameImage = blocks != null && blocks[pos] > 0 && blocks[k] == blocks[pos];
            m[k] = (causal && inWindow) || sameImage;
        }
        return m;
    }

    private static double[] decodeRef(FloatArray q, FloatArray keys, FloatArray values, int nHead, int nKv,
                                      int headDim, int length, int window, double scale, double cap) {
        double[] out = new double[nHead * headDim];
        int group = nHead / nKv;
        for (int h = 0; h < nHead; h++) {
            double[] o = attendRef(q, h * headDim, keys, values, (h / group) * headDim, nKv * headDim, headDim,
                    mask(length - 1, length, window, null), scale, cap);
            System.arraycopy(o, 0, out, h * headDim, headDim);
        }
        return out;
    }

    private static double[] prefillRef(FloatArray q, FloatArray keys, FloatArray values, int[] blocks, int tokens,
                                       int nHead, int nKv, int headDim, int start, int window, double scale,
                                       double cap) {
        double[] out = new double[tokens * nHead * headDim];
        int group = nHead / nKv;
        for (int t = 0; t < tokens; t++) {
            boolean[] m = mask(start + t, start + tokens, window, blocks);
            for (int h = 0; h < nHead; h++) {
                double[] o = attendRef(q, (t * nHead + h) * headDim, keys, values, (h / group) * headDim,
                        nKv * headDim, headDim, m, scale, cap);
                System.arraycopy(o, 0, out, (t * nHead + h) * headDim, headDim);
            }
        }
        return out;
    }

    @Test
    void singleKeyReturnsItsValue() {
        FloatArray out = FloatArray.allocate(3);
        Attention.attentionDecode(FloatArray.of(1, 2, 3), FloatArray.of(-1, 0, 4), FloatArray.of(7, 8, 9), out,
                1, 1, 3, 1, 0, 0.5f, 0);
        assertThat(out.toArray()).containsExactly(7, 8, 9);
    }

    @Test
    void equalScoresAverageTheValues() {
        // q = 0: every score is 0, so the output is the mean of the visible values
        FloatArray q = FloatArray.of(0, 0);
        FloatArray keys = TestArrays.floats(TestArrays.random(1), 4 * 2, 1);
        FloatArray values = FloatArray.of(1, 10, 2, 20, 3, 30, 4, 40);
        FloatArray out = FloatArray.allocate(2);
        Attention.attentionDecode(q, keys, values, out, 1, 1, 2, 4, 0, 1, 0);
        assertThat(out.get(0)).isCloseTo(2.5f, within(1e-6f));
        assertThat(out.get(1)).isCloseTo(25f, within(1e-5f));
        // a window of 2 keeps the last two keys only
        Attention.attentionDecode(q, keys, values, out, 1, 1, 2, 4, 2, 1, 0);
        assertThat(out.get(0)).isCloseTo(3.5f, within(1e-6f));
        assertThat(out.get(1)).isCloseTo(35f, within(1e-5f));
    }

    @ParameterizedTest(name = "heads={0}/{1} headDim={2} length={3} window={4} cap={5}")
    @CsvSource({
        "1, 1, 1, 1, 0, 0",
        "4, 2, 7, 5, 0, 0",
        "4, 1, 64, 40, 0, 50",
        "3, 3, 16, 33, 8, 0",
        "8, 4, 32, 17, 1, 0",
        "2, 1, 72, 64, 100, 5"})
    void decodeAgainstNaiveAttention(int nHead, int nKv, int headDim, int length, int window, float cap) {
        SplittableRandom rnd = TestArrays.random(nHead * 100L + headDim * 7L + length + window);
        FloatArray q = TestArrays.floats(rnd, nHead * headDim, 2);
        FloatArray keys = TestArrays.floats(rnd, (long) (length + 3) * nKv * headDim, 2);
        FloatArray values = TestArrays.floats(rnd, (long) (length + 3) * nKv * headDim, 1);
        float scale = (float) (1 / Math.sqrt(headDim));
        double[] ref = decodeRef(q, keys, values, nHead, nKv, headDim, length, window, scale, cap);
        FloatArray out = TestArrays.nans(nHead * headDim);
        Attention.attentionDecode(q, keys, values, out, nHead, nKv, headDim, length, window, scale, cap);
        assertThat(TestArrays.nmse(ref, out)).isLessThan(1e-11);

        FloatArray vec = TestArrays.nans(nHead * headDim);
        int[] cuts = TestArrays.cuts(nHead);
        for (int s = 0; s + 1 < cuts.length; s++) {
            Attention.attentionDecodeVec(q, keys, values, vec, nHead, nKv, headDim, length, window, scale, cap,
                    cuts[s], cuts[s + 1]);
        }
        // online vs two-pass softmax and lane-wise dots: a different rounding order, same values
        assertThat(TestArrays.nmse(out, vec)).isLessThan(1e-11);
    }

    private static int[] blocks(int length, int from, int to, int id, int[] into) {
        int[] b = into == null ? new int[length] : into;
        for (int i = from; i < to; i++) {
            b[i] = id;
        }
        return b;
    }

    @ParameterizedTest(name = "tokens={0} start={1} heads={2}/{3} headDim={4} window={5} cap={6} images={7}")
    @CsvSource({
        "1, 0, 1, 1, 1, 0, 0, false",
        "9, 0, 4, 2, 8, 0, 0, false",
        "12, 5, 4, 1, 16, 4, 0, false",
        "16, 0, 2, 2, 12, 0, 0, true",
        "20, 3, 4, 2, 24, 6, 50, true",
        "7, 10, 3, 1, 5, 3, 0, true"})
    void prefillAgainstNaiveAttention(int tokens, int start, int nHead, int nKv, int headDim, int window,
                                      float cap, boolean images) {
        int length = start + tokens;
        SplittableRandom rnd = TestArrays.random(tokens * 1000L + start * 10L + headDim);
        FloatArray q = TestArrays.floats(rnd, (long) tokens * nHead * headDim, 2);
        FloatArray keys = TestArrays.floats(rnd, (long) length * nKv * headDim, 2);
        FloatArray values = TestArrays.floats(rnd, (long) length * nKv * headDim, 1);
        int[] blocks = new int[length];
        if (images) {
            // two images inside this tile (one of them longer than the window) and text around them
            int a = start + 1;
            int b = start + Math.max(2, tokens / 2);
            blocks(length, a, b, 1, blocks);
            blocks(length, b + 1, length - 1, 2, blocks);
        }
        float scale = 0.3f;
        double[] ref = prefillRef(q, keys, values, blocks, tokens, nHead, nKv, headDim, start, window, scale, cap);
        FloatArray out = TestArrays.nans((long) tokens * nHead * headDim);
        Attention.attentionPrefill(q, keys, values, IntArray.of(blocks), out, tokens, nHead, nKv, headDim, start,
                window, scale, cap);
        assertThat(TestArrays.nmse(ref, out)).isLessThan(1e-11);

        FloatArray vec = TestArrays.nans((long) tokens * nHead * headDim);
        int[] cuts = TestArrays.cuts(tokens);
        for (int s = 0; s + 1 < cuts.length; s++) {
            Attention.attentionPrefillVec(q, keys, values, IntArray.of(blocks), vec, tokens, nHead, nKv, headDim,
                    start, window, scale, cap, cuts[s], cuts[s + 1]);
        }
        assertThat(TestArrays.nmse(out, vec)).isLessThan(1e-11);
    }

    @Test
    void imageTokensSeeLaterTokensOfTheirOwnImageOnly() {
        // positions: text 0, image 1 at 1..3, text 4; values are one-hot by position
        int length = 5;
        FloatArray values = FloatArray.allocate(length * length);
        for (int p = 0; p < length; p++) {
            values.set(p * length + p, 1);
        }
        int[] blocks = {0, 1, 1, 1, 0};
        // q = k = 0 gives equal scores; headDim = 5 and one-hot values show which keys each query mixed
        FloatArray q5 = FloatArray.allocate(length * length);
        FloatArray k5 = FloatArray.allocate(length * length);
        FloatArray out = FloatArray.allocate(length * length);
        Attention.attentionPrefill(q5, k5, values, IntArray.of(blocks), out, length, 1, 1, length, 0, 0, 1, 0);
        float[][] weights = new float[length][length];
        for (int t = 0; t < length; t++) {
            for (int k = 0; k < length; k++) {
                weights[t][k] = out.get(t * length + k);
            }
        }
        assertThat(weights[0]).containsExactly(1, 0, 0, 0, 0);
        for (int t = 1; t <= 3; t++) {
            assertThat(weights[t][0]).isCloseTo(0.25f, within(1e-6f));
            assertThat(weights[t][3]).isCloseTo(0.25f, within(1e-6f));
            assertThat(weights[t][4]).isZero();
        }
        assertThat(weights[4][4]).isCloseTo(0.2f, within(1e-6f));
    }

    @Test
    void lastPrefillRowEqualsDecode() {
        int tokens = 6;
        int nHead = 4;
        int nKv = 2;
        int headDim = 16;
        SplittableRandom rnd = TestArrays.random(5);
        FloatArray q = TestArrays.floats(rnd, tokens * nHead * headDim, 1);
        FloatArray keys = TestArrays.floats(rnd, tokens * nKv * headDim, 1);
        FloatArray values = TestArrays.floats(rnd, tokens * nKv * headDim, 1);
        FloatArray prefill = FloatArray.allocate(tokens * nHead * headDim);
        Attention.attentionPrefill(q, keys, values, IntArray.allocate(tokens), prefill, tokens, nHead, nKv, headDim,
                0, 3, 0.25f, 0);
        FloatArray lastQ = FloatArray.allocate(nHead * headDim);
        Elementwise.copy(q, (long) (tokens - 1) * nHead * headDim, lastQ, 0, nHead * headDim);
        FloatArray decode = FloatArray.allocate(nHead * headDim);
        Attention.attentionDecode(lastQ, keys, values, decode, nHead, nKv, headDim, tokens, 3, 0.25f, 0);
        for (int i = 0; i < nHead * headDim; i++) {
            assertThat(decode.get(i)).isEqualTo(prefill.get((tokens - 1) * nHead * headDim + i));
        }
    }
}
