package io.tessera.pipeline.paligemma;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tessera.tasks.api.DataTransferMode;
import io.tessera.tasks.api.Device;
import io.tessera.tasks.api.ExecutionPlan;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.IntArray;
import io.tessera.tasks.api.TaskGraph;
import io.tessera.tasks.kernels.ImageAttention;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The prefix-LM mask on its own: the decoder's prefill attention with one block [0, prefix) (how
 * {@link PaliGemmaGenerator} prefills) against the closed-form rules of spec/MODELS.md §3 and §1.3.
 * With all queries zero, softmax is uniform over the visible keys, and with one-hot values
 * (key k's value is e_k) the output row of query q is 1/|visible(q)| at exactly the visible keys,
 * so the test reads the mask itself off the output.
 *
 * <ul>
 *   <li>global layers: big_vision {@code make_attn_mask}: q sees k iff cumsum(mask_ar)[k] &lt;= cumsum(mask_ar)[q],
 *   with mask_ar 0 on the prefix and 1 on the suffix;</li>
 *   <li>sliding-window layers (Gemma 2): HF's or-mask, (k &lt;= q and q - k &lt; W) or (both in the prefix).</li>
 * </ul>
 */
class PrefixLmMaskTest {

    @ParameterizedTest(name = "{0} positions, prefix {1}, window {2}")
    @CsvSource({"12, 7, 0", "12, 12, 0", "12, 1, 0", "20, 13, 4", "9, 5, 1", "16, 10, 3"})
    void prefillBlockIsThePrefixLmRule(int tokens, int prefix, int window) {
        int[] cum = new int[tokens];
        for (int i = 0, c = 0; i < tokens; i++) {
            c += i < prefix ? 0 : 1;
            cum[i] = c;
        }
        boolean[][] expected = new boolean[tokens][tokens];
        for (int q = 0; q < tokens; q++) {
            for (int k = 0; k < tokens; k++) {
                expected[q][k] = window == 0 ? cum[k] <= cum[q]
                        : (k <= q && q - k < window) || (q < prefix && k < prefix);
            }
        }
        check(plain(tokens, prefix, window), expected, tokens, "plain body");
        check(onJvm(tokens, prefix, window), expected, tokens, "JVM device");
    }

    private static void check(float[] out, boolean[][] expected, int tokens, String what) {
        for (int q = 0; q < tokens; q++) {
            int visible = 0;
            for (boolean b : expected[q]) {
                visible += b ? 1 : 0;
            }
            for (int k = 0; k < tokens; k++) {
                float want = expected[q][k] ? 1f / visible : 0f;
                assertEquals(want, out[q * tokens + k], 1e-6f, what + ": query " + q + ", key " + k);
            }
        }
    }

    /** q = 0, keys anything, values one-hot: [tokens][1 head][headDim = tokens]. */
    private static FloatArray[] inputs(int tokens) {
        FloatArray q = FloatArray.allocate((long) tokens * tokens);
        FloatArray keys = FloatArray.allocate((long) tokens * tokens);
        FloatArray values = FloatArray.allocate((long) tokens * tokens);
        for (int k = 0; k < tokens; k++) {
            values.set((long) k * tokens + k, 1f);
            for (int d = 0; d < tokens; d++) {
                keys.set((long) k * tokens + d, (float) Math.sin(k * 7 + d));
            }
        }
        return new FloatArray[] {q, keys, values};
    }

    private static IntArray positions(int tokens) {
        IntArray p = IntArray.allocate(tokens);
        for (int t = 0; t < tokens; t++) {
            p.set(t, t);
        }
        return p;
    }

    private static float[] plain(int tokens, int prefix, int window) {
        FloatArray[] in = inputs(tokens);
        FloatArray out = FloatArray.allocate((long) tokens * tokens);
        IntArray end = IntArray.allocate(1);
        end.set(0, prefix);
        ImageAttention.prefillBlock(in[0], in[1], in[2], positions(tokens), end, out, tokens, 1, 1, tokens, window,
                1f, 0f);
        return out.toArray();
    }

    private static float[] onJvm(int tokens, int prefix, int window) {
        FloatArray[] in = inputs(tokens);
        FloatArray out = FloatArray.allocate((long) tokens * tokens);
        IntArray end = IntArray.allocate(1);
        end.set(0, prefix);
        IntArray pos = positions(tokens);
        TaskGraph g = new TaskGraph("prefixLm")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, in[0], in[1], in[2], pos, end);
        g.task("attention", ImageAttention::prefillBlock, in[0], in[1], in[2], pos, end, out, tokens, 1, 1, tokens,
                window, 1f, 0f);
        g.transferToHost(DataTransferMode.EVERY_EXECUTION, out);
        try (ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(Device.jvm())) {
            plan.execute();
        }
        return out.toArray();
    }
}
