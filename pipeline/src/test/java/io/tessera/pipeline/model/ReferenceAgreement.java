package io.tessera.pipeline.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.function.Supplier;

import io.tessera.pipeline.reference.LlamaCpp;

/** Measures of agreement between our logits and tokens and llama.cpp's on the same file. */
final class ReferenceAgreement {
    /** Top-2 logits of llama.cpp closer than this make a greedy step a tie that either side may break. */
    static final double TIE = 1e-4;

    private ReferenceAgreement() {
    }

    /** mse(actual, expected) / mse(expected, 0) over all positions. */
    static double nmse(float[][] actual, float[][] expected) {
        double num = 0;
        double den = 0;
        for (int p = 0; p < expected.length; p++) {
            assertThat(actual[p]).as("logits at position %d", p).hasSameSizeAs(expected[p]);
            for (int v = 0; v < expected[p].length; v++) {
                double d = actual[p][v] - expected[p][v];
                num += d * d;
                den += (double) expected[p][v] * expected[p][v];
            }
        }
        return num / den;
    }

    /** Positions where both sides rank the same token first. */
    static int sameTop1(float[][] actual, float[][] expected) {
        int same = 0;
        for (int p = 0; p < expected.length; p++) {
            if (LlamaCppAgreementTest.argMax(actual[p]) == LlamaCppAgreementTest.argMax(expected[p])) {
                same++;
            }
        }
        return same;
    }

    /** Gap between the two largest values. */
    static double top2Gap(float[] v) {
        double first = Double.NEGATIVE_INFINITY;
        double second = Double.NEGATIVE_INFINITY;
        for (float x : v) {
            if (x > first) {
                second = first;
                first = x;
            } else if (x > second) {
                second = x;
            }
        }
        return first - second;
    }

    /**
     * The greedy continuations compared step by step: they must be identical, except that at a
     * step where llama.cpp's own top-2 logits (after the prompt and the tokens both sides agree on)
     * are closer than {@link #TIE} the two may part; the rest is then not comparable.
     *
     * @param reference opens the file in llama.cpp, needed only where the continuations part
     * @return a line describing the agreement
     */
    static String checkGreedy(Supplier<LlamaCpp.Model> reference, int[] prompt, int[] ours, int[] expected) {
        int agree = 0;
        while (agree < Math.min(ours.length, expected.length) && ours[agree] == expected[agree]) {
            agree++;
        }
        if (agree == expected.length && ours.length == expected.length) {
            return "greedy " + agree + "/" + expected.length + " identical";
        }
        int[] context = Arrays.copyOf(prompt, prompt.length + agree);
        System.arraycopy(expected, 0, context, prompt.length, agree);
        float[][] logits;
        try (LlamaCpp.Model m = reference.get()) {
            logits = m.logits(context);
        }
        double gap = top2Gap(logits[logits.length - 1]);
        String line = String.format("greedy %d/%d identical; step %d parts (ours %s, llama.cpp %s) where llama.cpp's "
                        + "top-2 logits differ by %.3e", agree, expected.length, agree,
                agree < ours.length ? ours[agree] : "end", agree < expected.length ? expected[agree] : "end", gap);
        assertThat(gap).as(line).isLessThan(TIE);
        return line;
    }
}
