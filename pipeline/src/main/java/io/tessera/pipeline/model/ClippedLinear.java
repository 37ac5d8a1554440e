package io.tessera.pipeline.model;

/**
 * A linear layer whose input and output are clamped (Gemma 4 {@code ClippableLinear} of the audio
 * conformer and the vision tower; llama.cpp {@code clip_graph_gemma4a::build_mm}, {@code clamp_info_map}): y = clamp(W clamp(x, inMin, inMax), outMin, outMax).
 * Bounds the file does not give are ±{@code Float.MAX_VALUE}, as clip.cpp's defaults ±FLT_MAX, and cost
 * nothing: no clamp task is added for them.
 *
 * <p>Each linear clamps its own copy of its input, as the llama.cpp source ({@code ggml_clamp}
 * is not in place) and HF do. The mtmd build the tests compare against (npm {@code @fugood}
 * 1.7.15) behaves as if the clamp wrote into its input: q, k and v share one input, which it
 * clamps with V's bounds, then K's, then Q's (measured: with distinct bounds per projection the
 * soft tokens differ by NMSE 6e-4, with that order emulated they agree to 1e-7). Both agree when q,
 * k and v carry the same input bounds, as the random test files do.
 *
 * @param weight (rows, cols)
 */
public record ClippedLinear(Weight weight, float inMin, float inMax, float outMin, float outMax) {
    public ClippedLinear {
        inMin = Math.max(inMin, -Float.MAX_VALUE);
        inMax = Math.min(inMax, Float.MAX_VALUE);
        outMin = Math.max(outMin, -Float.MAX_VALUE);
        outMax = Math.min(outMax, Float.MAX_VALUE);
        if (!(inMin <= inMax) || !(outMin <= outMax)) {
            throw new IllegalArgumentException("clamps of " + weight.name() + " are empty: input [" + inMin + ", "
                    + inMax + "], output [" + outMin + ", " + outMax + "]");
        }
    }

    /** A linear layer without clamps. */
    public static ClippedLinear unclipped(Weight weight) {
        return new ClippedLinear(weight, -Float.MAX_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, Float.MAX_VALUE);
    }

    public boolean clampsInput() {
        return inMin > -Float.MAX_VALUE || inMax < Float.MAX_VALUE;
    }

    public boolean clampsOutput() {
        return outMin > -Float.MAX_VALUE || outMax < Float.MAX_VALUE;
    }
}
