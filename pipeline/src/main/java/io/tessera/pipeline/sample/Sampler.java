package io.tessera.pipeline.sample;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Chooses tokens from logits: repetition penalty, then arg-max, or top-k on the logits, the
 * temperature, the softmax, top-p, min-p and a seeded draw from what is left (the order of
 * llama.cpp's default sampler chain and of the Gemma JAX samplers, which take top-k before the
 * temperature). One sampler follows one sequence; its draws are reproducible from the seed.
 */
public final class Sampler {
    private final SamplingSettings settings;
    private final SplittableRandom random;

    public Sampler(SamplingSettings settings) {
        this.settings = settings;
        this.random = new SplittableRandom(settings.seed());
    }

    public SamplingSettings settings() {
        return settings;
    }

    /**
     * The next token after {@code history[0..length)} given its logits; {@code logits} is not changed.
     */
    public int sample(float[] logits, int[] history, int length) {
        float[] l = penalised(logits, history, length);
        if (settings.greedy()) {
            return argMax(l);
        }
        int keep = settings.topK() > 0 ? Math.min(settings.topK(), l.length) : l.length;
        Integer[] order = topIndices(l, keep);
        double max = l[order[0]] / settings.temperature();
        double[] p = new double[keep];
        double sum = 0;
        for (int i = 0; i < keep; i++) {
            p[i] = Math.exp(l[order[i]] / settings.temperature() - max);
            sum += p[i];
        }
        double cumulative = 0;
        int kept = 0;
        for (int i = 0; i < keep; i++) {
            p[i] /= sum;
            boolean dropByP = cumulative >= settings.topP();
            boolean dropByMinP = p[i] < settings.minP() * p[0];
            if (i > 0 && (dropByP || dropByMinP)) {
                break;
            }
            cumulative += p[i];
            kept = i + 1;
        }
        double u = random.nextDouble() * cumulative;
        double acc = 0;
        for (int i = 0; i < kept; i++) {
            acc += p[i];
            if (u < acc) {
                return order[i];
            }
        }
        return order[kept - 1];
    }

    /** The indices of the {@code k} largest logits, largest first (smaller index first on ties). */
    private static Integer[] topIndices(float[] l, int k) {
        java.util.Comparator<Integer> better = (a, b) -> l[a] != l[b] ? Float.compare(l[b], l[a])
                : Integer.compare(a, b);
        java.util.PriorityQueue<Integer> worstFirst = new java.util.PriorityQueue<>(k + 1, better.reversed());
        for (int i = 0; i < l.length; i++) {
            if (worstFirst.size() < k) {
                worstFirst.add(i);
            } else if (better.compare(i, worstFirst.peek()) < 0) {
                worstFirst.poll();
                worstFirst.add(i);
            }
        }
        Integer[] order = worstFirst.toArray(Integer[]::new);
        Arrays.sort(order, better);
        return order;
    }

    /** Smallest index of the largest value. */
    public static int argMax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    private float[] penalised(float[] logits, int[] history, int length) {
        float penalty = settings.repetitionPenalty();
        if (penalty == 1f || settings.penaltyWindow() == 0) {
            return logits;
        }
        float[] l = logits.clone();
        boolean[] seen = new boolean[l.length];
        for (int i = Math.max(0, length - settings.penaltyWindow()); i < length; i++) {
            int id = history[i];
            if (id >= 0 && id < l.length && !seen[id]) {
                seen[id] = true;
                l[id] = l[id] > 0 ? l[id] / penalty : l[id] * penalty;
            }
        }
        return l;
    }
}
