package io.tessera.pipeline.model;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

import io.tessera.pipeline.gguf.GgufKeys;
import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.gguf.GgufWriter;

/**
 * The mixture-of-experts part of a random Gemma 4 file (26B-A4B layout; llama.cpp
 * {@code src/models/gemma4.cpp} {@code load_arch_tensors}): the expert keys, and in every layer a
 * router with its input scale, the extra norms and the stacked expert matrices, beside the layer's
 * dense MLP (which {@link RandomGemmaFile} writes as usual and which becomes the shared MLP).
 *
 * @param count       {@code expert_count}
 * @param used        {@code expert_used_count}
 * @param width       {@code expert_feed_forward_length}
 * @param fusedGateUp one {@code ffn_gate_up_exps} instead of {@code ffn_gate_exps} and {@code ffn_up_exps}
 * @param expertScale write {@code ffn_down_exps.scale} (the converted {@code per_expert_scale})
 */
public record RandomExperts(int count, int used, int width, boolean fusedGateUp, boolean expertScale) {
    /**
     * Spread of the router's weights: its input has unit norm, so logits spread about this much,
     * which keeps the ranking of experts far from ties that rounding could flip.
     */
    private static final double ROUTER_SIGMA = 2.0;

    public RandomExperts {
        if (count <= 0 || used <= 0 || used > count || width <= 0) {
            throw new IllegalArgumentException("experts " + count + ", used " + used + ", width " + width);
        }
    }

    /** The 26B-A4B counts: 128 experts, 8 per token, width 704. */
    public static RandomExperts gemma4_26b() {
        return new RandomExperts(128, 8, 704, true, true);
    }

    void writeKeys(GgufWriter w, String arch) {
        w.putUInt32(GgufKeys.expertCount(arch), count);
        w.putUInt32(GgufKeys.expertUsedCount(arch), used);
        w.putUInt32(GgufKeys.expertFeedForwardLength(arch), width);
    }

    void writeLayer(GgufWriter w, Arena arena, SplittableRandom rnd, int layer, int hidden, GgufTensorType type) {
        stack(w, arena, rnd, ExpertTensorNames.routerInput(layer), GgufTensorType.F32, 1, count, hidden,
                ROUTER_SIGMA);
        vector(w, arena, rnd, ExpertTensorNames.routerInputScale(layer), hidden, 1, 0.2);
        vector(w, arena, rnd, ExpertTensorNames.expertsNorm(layer), hidden, 1, 0.2);
        vector(w, arena, rnd, ExpertTensorNames.sharedPostNorm(layer), hidden, 1, 0.2);
        vector(w, arena, rnd, ExpertTensorNames.expertsPostNorm(layer), hidden, 1, 0.2);
        double in = 1 / Math.sqrt(hidden);
        if (fusedGateUp) {
            stack(w, arena, rnd, ExpertTensorNames.gateUpExperts(layer), type, count, 2 * width, hidden, in);
        } else {
            stack(w, arena, rnd, ExpertTensorNames.gateExperts(layer), type, count, width, hidden, in);
            stack(w, arena, rnd, ExpertTensorNames.upExperts(layer), type, count, width, hidden, in);
        }
        stack(w, arena, rnd, ExpertTensorNames.downExperts(layer), type, count, hidden, width, 1 / Math.sqrt(width));
        if (expertScale) {
            vector(w, arena, rnd, ExpertTensorNames.downExpertsScale(layer), count, 1, 0.3);
        }
    }

    private static void vector(GgufWriter w, Arena arena, SplittableRandom rnd, String name, int n, double mean,
                               double sigma) {
        MemorySegment s = arena.allocate(4L * n);
        for (int i = 0; i < n; i++) {
            s.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, (float) (mean + sigma * rnd.nextGaussian()));
        }
        w.addTensor(name, GgufTensorType.F32, new long[] {n}, s);
    }

    /**
     * {@code experts} matrices of (rows, cols) N(0, sigma) values, stacked: ggml [cols, rows, experts]
     * (a plain matrix when experts is 1).
     */
    private static void stack(GgufWriter w, Arena arena, SplittableRandom rnd, String name, GgufTensorType type,
                              int experts, int rows, int cols, double sigma) {
        long allRows = (long) experts * rows;
        MemorySegment s = arena.allocate(type.byteSize(allRows * cols));
        float[] row = new float[cols];
        for (long r = 0; r < allRows; r++) {
            for (int j = 0; j < cols; j++) {
                row[j] = (float) (sigma * rnd.nextGaussian());
            }
            long at = type.byteSize(r * cols);
            switch (type) {
                case F32 -> MemorySegment.copy(row, 0, s, ValueLayout.JAVA_FLOAT_UNALIGNED, at, cols);
                case F16 -> {
                    for (int j = 0; j < cols; j++) {
                        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, at + 2L * j, Float.floatToFloat16(row[j]));
                    }
                }
                case Q8_0 -> RandomGemmaFile.quantizeQ8_0(row, s, at);
                case Q4_0 -> RandomGemmaFile.quantizeQ4_0(row, s, at);
                default -> throw new IllegalArgumentException("cannot write random " + type + " experts");
            }
        }
        w.addTensor(name, type, experts == 1 ? new long[] {cols, rows} : new long[] {cols, rows, experts}, s);
    }
}
