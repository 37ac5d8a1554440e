package io.tessera.tasks.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import io.tessera.tasks.api.FloatArray;

/** Closed-form facts about the conformer kernels (plain bodies and the JVM's vector form). */
class ConformerKernelsTest {

    @Test
    void conv2dCentreTapIsTheIdentityAndPaddingIsZero() {
        // 3x3 kernel with only the centre tap: stride 1, pad 1 gives x back; stride 2 takes every other cell
        FloatArray x = FloatArray.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12); // [3][4][1]
        FloatArray w = FloatArray.allocate(9);
        w.set(4, 1);
        FloatArray out = FloatArray.allocate(12);
        Conv.conv2d(x, w, FloatArray.of(0), out, 3, 4, 1, 1, 3, 3, 1, 1);
        assertThat(out.toArray()).containsExactly(x.toArray());
        FloatArray half = FloatArray.allocate(4);
        Conv.conv2dVec(x, w, FloatArray.of(0.5f), half, 3, 4, 1, 1, 3, 3, 2, 1, 0, 2);
        assertThat(half.toArray()).containsExactly(1.5f, 3.5f, 9.5f, 11.5f);
        // the top-left tap at output (0, 0) reads the padding: all-ones kernel sums the 2x2 corner
        FloatArray ones = FloatArray.of(1, 1, 1, 1, 1, 1, 1, 1, 1);
        Conv.conv2d(x, ones, FloatArray.of(0), half, 3, 4, 1, 1, 3, 3, 2, 1);
        assertThat(half.get(0)).isEqualTo(1 + 2 + 5 + 6);
    }

    @Test
    void conv2dSumsChannelsWithChannelsLastWeights() {
        // 1x1 image of 2 channels into 2 outputs by a 1x1 kernel: out = W x + b
        FloatArray x = FloatArray.of(3, 5);
        FloatArray w = FloatArray.of(1, 2, -1, 4); // [out][1][1][in]
        FloatArray out = FloatArray.allocate(2);
        Conv.conv2d(x, w, FloatArray.of(0, 1), out, 1, 1, 2, 2, 1, 1, 1, 0);
        assertThat(out.toArray()).containsExactly(13, 18);
    }

    @Test
    void depthwiseCausalConvShiftsAndSeesNoFuture() {
        // channel 0 has the newest tap only (identity); channel 1 the oldest only (a delay of kernel - 1)
        int tokens = 6;
        FloatArray x = FloatArray.allocate(2L * tokens);
        for (int t = 0; t < tokens; t++) {
            x.set(2L * t, t + 1);
            x.set(2L * t + 1, 10 * (t + 1));
        }
        FloatArray w = FloatArray.of(0, 0, 0, 1, 1, 0, 0, 0); // [2][4]
        FloatArray out = FloatArray.allocate(2L * tokens);
        Conv.depthwiseCausalConv1d(x, w, FloatArray.of(0, 0), out, tokens, 2, 4);
        assertThat(out.toArray()).containsExactly(1, 0, 2, 0, 3, 0, 4, 10, 5, 20, 6, 30);
    }

    @Test
    void gluAndSiluAtKnownPoints() {
        FloatArray out = FloatArray.allocate(2);
        Activation.glu(FloatArray.of(2, -3, 0, 0), out, 1, 2);
        assertThat(out.get(0)).isCloseTo(1f, within(1e-6f));   // 2 * sigmoid(0)
        assertThat(out.get(1)).isCloseTo(-1.5f, within(1e-6f)); // -3 * sigmoid(0)
        FloatArray s = FloatArray.allocate(2);
        Activation.silu(FloatArray.of(0, 1), s, 2);
        assertThat(s.get(0)).isZero();
        assertThat(s.get(1)).isCloseTo((float) (1 / (1 + Math.exp(-1))), within(1e-6f));
    }

    @Test
    void localAttentionAveragesTheVisibleValuesWhenLogitsAreEqual() {
        // k = 0 and rel = 0 make every logit 0: each query gets the mean of the values it may see,
        // keys t-maxPast+1 .. t, and no key of a block before its context (chunk 4, past 3)
        int tokens = 10;
        int maxPast = 3;
        FloatArray q = FloatArray.allocate(tokens);
        FloatArray v = FloatArray.allocate(tokens);
        for (int t = 0; t < tokens; t++) {
            q.set(t, 1);
            v.set(t, t);
        }
        FloatArray out = FloatArray.allocate(tokens);
        LocalAttention.chunkedRelative(q, FloatArray.allocate(tokens), v, FloatArray.allocate(maxPast + 1),
                FloatArray.of(1), FloatArray.of(1), out, tokens, 1, 1, 4, maxPast, 1f, 1f, 50f);
        for (int t = 0; t < tokens; t++) {
            int first = Math.max(0, t - maxPast + 1);
            assertThat(out.get(t)).as("query %d", t).isCloseTo((first + t) / 2f, within(1e-5f));
        }
    }

    @Test
    void localAttentionAddsTheRelativeTermOfEachDistance() {
        // two tokens, one dimension: the second query sees itself (distance 0) and the first (distance 1)
        FloatArray q = FloatArray.of(1, 2);
        FloatArray k = FloatArray.of(0.5f, -0.25f);
        FloatArray v = FloatArray.of(10, 20);
        FloatArray rel = FloatArray.of(0.1f, 0.3f, 99);
        FloatArray out = FloatArray.allocate(2);
        float qs = 0.7f;
        float ks = 1.3f;
        float cap = 2f;
        LocalAttention.chunkedRelative(q, k, v, rel, FloatArray.of(1.5f), FloatArray.of(0.8f), out, 2, 1, 1, 12, 2, qs,
                ks, cap);
        double q1 = 2 * qs * 1.5;
        double self = cap * Math.tanh(q1 * (-0.25 * ks * 0.8 + 0.1) / cap);
        double past = cap * Math.tanh(q1 * (0.5 * ks * 0.8 + 0.3) / cap);
        double p = Math.exp(past) / (Math.exp(past) + Math.exp(self));
        assertThat(out.get(0)).isCloseTo(10f, within(1e-5f));
        assertThat((double) out.get(1)).isCloseTo(10 * p + 20 * (1 - p), within(1e-4));
    }
}
