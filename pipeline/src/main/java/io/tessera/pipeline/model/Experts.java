package io.tessera.pipeline.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import io.tessera.tasks.api.FloatArray;

/**
 * The routed experts of a mixture-of-experts layer (Gemma 4 26B-A4B; llama.cpp
 * {@code src/models/gemma4.cpp} and {@code build_moe_ffn} in {@code src/llama-graph.cpp}):
 * <pre>
 *   logits = router (rmsNorm(x) / sqrt(hidden) * routerScale)      router reads the residual x
 *   ids, w = top-used of softmax(logits), renormalised over the chosen
 *   y      = sum over chosen e of w_e * downScale_e * down_e(gelu(gate_e(n)) * up_e(n)),  n = norm(x)
 * </pre>
 * and then {@code postNorm(y)}.
 *
 * @param router      (experts, hidden) {@code ffn_gate_inp}
 * @param routerScale (hidden) {@code ffn_gate_inp.scale} times 1/sqrt(hidden), the factor of the
 *                    router's normalised input (both are constant multipliers; folded once at load)
 * @param norm        (hidden) {@code pre_ffw_norm_2}
 * @param gate        experts of (expertFfn, hidden), or null where {@code gateUp} holds it
 * @param up          experts of (expertFfn, hidden), or null where {@code gateUp} holds it
 * @param gateUp      experts of (2 * expertFfn, hidden): gate rows then up rows, or null
 * @param down        experts of (hidden, expertFfn)
 * @param downScale   (experts) factor of each expert's output; ones where the file has none
 * @param postNorm    (hidden) {@code post_ffw_norm_2}
 * @param used        experts per token
 */
public record Experts(Weight router, FloatArray routerScale, FloatArray norm, ExpertMatrix gate, ExpertMatrix up,
                      ExpertMatrix gateUp, ExpertMatrix down, FloatArray downScale, FloatArray postNorm, int used) {

    public Experts {
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(down, "down");
        if ((gateUp == null) == (gate == null || up == null)) {
            throw new IllegalArgumentException("experts need either gate and up or gate_up matrices, not both");
        }
        if (used <= 0 || used > router.rows()) {
            throw new IllegalArgumentException(used + " experts per token out of " + router.rows());
        }
    }

    /** Experts in the layer. */
    public int count() {
        return router.rows();
    }

    /** Hidden width of one expert. */
    public int width() {
        return down.cols();
    }

    /** Every matrix and vector, each once (matrices as {@link Weight}). */
    public List<Object> tensors() {
        List<Object> all = new ArrayList<>(Arrays.asList(router, routerScale, norm));
        for (ExpertMatrix m : new ExpertMatrix[] {gate, up, gateUp, down}) {
            if (m != null) {
                all.add(m.stacked());
            }
        }
        all.addAll(List.of(downScale, postNorm));
        return all;
    }
}
