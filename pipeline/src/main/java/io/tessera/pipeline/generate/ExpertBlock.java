package io.tessera.pipeline.generate;

import java.util.List;
import java.util.Map;

import io.tessera.pipeline.model.ExpertMatrix;
import io.tessera.pipeline.model.Experts;
import io.tessera.pipeline.model.Weight;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.IntArray;
import io.tessera.tasks.api.TaskGraph;
import io.tessera.tasks.api.TypedArray;
import io.tessera.tasks.kernels.Activation;
import io.tessera.tasks.kernels.Elementwise;
import io.tessera.tasks.kernels.Norm;
import io.tessera.tasks.kernels.Route;

/**
 * The feed-forward of a mixture-of-experts layer as tasks of a layer graph (Gemma 4 26B-A4B;
 * llama.cpp {@code src/models/gemma4.cpp}, {@code build_moe_ffn} in {@code src/llama-graph.cpp}).
 * The dense MLP and the routed experts both read the residual stream x after attention; each has
 * its own input and output norm, and their sum is the block output that the layer's
 * post-feed-forward norm and residual add take:
 *
 * <pre>
 *   x --sharedNorm--> xb --gate, up, geglu--> hb --down--> out --sharedPostNorm--> out
 *   x --routerNorm--> routerIn --router--> logits --topK--> ids, weights
 *   x --expertsNorm--> xb --expertGate, expertUp or expertGateUp (ids), geglu--> act or up
 *   act or up --expertDown (ids)--> down
 *   down, ids, weights --combine--> moe --expertsPostNorm--> moe;  out += moe
 * </pre>
 *
 * One form serves both phases: t rows are a prefill tile (matMul for the dense matrices) or one
 * decode token (matVec); the expert products run per (token, choice) slot either way.
 */
final class ExpertBlock {
    /**
     * Scratch of one phase, for up to {@code rows} tokens: never leaves the device, written and
     * read within each layer graph.
     */
    static final class Buffers {
        final FloatArray routerIn;   // [rows][hidden]
        final FloatArray logits;     // [rows][experts]
        final IntArray ids;          // [rows][used]
        final FloatArray weights;    // [rows][used]
        final FloatArray act;        // [rows * used][2 * width]: gate (or gate_up); gelu(gate) * up if separate
        final FloatArray up;         // [rows * used][width]: up; gelu(gate) * up if fused
        final FloatArray down;       // [rows * used][hidden]
        final FloatArray moe;        // [rows][hidden]

        Buffers(int rows, int hidden, int experts, int used, int width, Map<TypedArray, String> names, String phase) {
            long slots = (long) rows * used;
            routerIn = FloatArray.allocate((long) rows * hidden);
            logits = FloatArray.allocate((long) rows * experts);
            ids = IntArray.allocate(slots);
            weights = FloatArray.allocate(slots);
            act = FloatArray.allocate(slots * 2 * width);
            up = FloatArray.allocate(slots * width);
            down = FloatArray.allocate(slots * hidden);
            moe = FloatArray.allocate((long) rows * hidden);
            names.put(routerIn, phase + "routerIn");
            names.put(logits, phase + "routerLogits");
            names.put(ids, phase + "expertIds");
            names.put(weights, phase + "expertWeights");
            names.put(act, phase + "expertAct");
            names.put(up, phase + "expertUp");
            names.put(down, phase + "expertDown");
            names.put(moe, phase + "moe");
        }
    }

    private ExpertBlock() {
    }

    /**
     * Adds the block over {@code t} rows of {@code x} to {@code g}, writing its output to
     * {@code out}; {@code xb}, {@code hb} and {@code hb2} are the layer's scratch (hidden, dense
     * width, dense width per row).
     */
    static void add(TaskGraph g, GraphDiagram d, FloatArray sharedNorm, Weight gate, Weight up, Weight down,
                    FloatArray sharedPostNorm, Experts e, Buffers b, FloatArray x, FloatArray xb, FloatArray hb,
                    FloatArray hb2, FloatArray out, int t, boolean tile, int hidden, float eps) {
        int width = gate.rows();
        g.task("sharedNorm", Norm::rmsNorm, x, sharedNorm, xb, t, hidden, eps);
        d.step("sharedNorm", List.of(x, sharedNorm), List.of(xb));
        project(g, d, "gate", gate, xb, hb, t, tile);
        project(g, d, "up", up, xb, hb2, t, tile);
        g.task("geglu", Activation::geglu, hb, hb2, hb, t * width);
        d.step("geglu", List.of(hb, hb2), List.of(hb));
        project(g, d, "down", down, hb, out, t, tile);
        g.task("sharedPostNorm", Norm::rmsNorm, out, sharedPostNorm, out, t, hidden, eps);
        d.step("sharedPostNorm", List.of(out, sharedPostNorm), List.of(out));

        // the router's input is the un-normed residual, rms-normed without weight, times its scale
        g.task("routerNorm", Norm::rmsNorm, x, e.routerScale(), b.routerIn, t, hidden, eps);
        d.step("routerNorm", List.of(x, e.routerScale()), List.of(b.routerIn));
        project(g, d, "router", e.router(), b.routerIn, b.logits, t, tile);
        // Gemma 4 gates by softmax over all experts and renormalises the chosen weights
        g.task("topK", Route::topK, b.logits, b.ids, b.weights, t, e.count(), e.used(), 0, 1);
        d.step("topK", List.of(b.logits), List.of(b.ids, b.weights));

        int slots = t * e.used();
        int ew = e.width();
        g.task("expertsNorm", Norm::rmsNorm, x, e.norm(), xb, t, hidden, eps);
        d.step("expertsNorm", List.of(x, e.norm()), List.of(xb));
        FloatArray activation;
        if (e.gateUp() != null) {
            experts(g, d, "expertGateUp", e.gateUp(), xb, b.ids, b.act, slots, e.used());
            g.task("expertGeglu", Activation::gegluFused, b.act, b.up, slots, ew);
            d.step("expertGeglu", List.of(b.act), List.of(b.up));
            activation = b.up;
        } else {
            experts(g, d, "expertGate", e.gate(), xb, b.ids, b.act, slots, e.used());
            experts(g, d, "expertUp", e.up(), xb, b.ids, b.up, slots, e.used());
            g.task("expertGeglu", Activation::geglu, b.act, b.up, b.act, slots * ew);
            d.step("expertGeglu", List.of(b.act, b.up), List.of(b.act));
            activation = b.act;
        }
        experts(g, d, "expertDown", e.down(), activation, b.ids, b.down, slots, 1);
        g.task("combine", Route::combine, b.down, b.ids, b.weights, e.downScale(), b.moe, t, e.used(), hidden);
        d.step("combine", List.of(b.down, b.ids, b.weights, e.downScale()), List.of(b.moe));
        g.task("expertsPostNorm", Norm::rmsNorm, b.moe, e.postNorm(), b.moe, t, hidden, eps);
        d.step("expertsPostNorm", List.of(b.moe, e.postNorm()), List.of(b.moe));
        g.task("sharedPlusExperts", Elementwise::add, out, b.moe, out, t * hidden);
        d.step("sharedPlusExperts", List.of(out, b.moe), List.of(out));
    }

    private static void experts(TaskGraph g, GraphDiagram d, String task, ExpertMatrix m, FloatArray x, IntArray ids,
                                FloatArray y, int slots, int group) {
        m.matVec(g, task, x, ids, y, slots, group);
        d.step(task, List.of(x, ids, m.stacked().array()), List.of(y));
    }

    private static void project(TaskGraph g, GraphDiagram d, String task, Weight w, FloatArray x, FloatArray y, int t,
                                boolean tile) {
        if (tile) {
            w.matMul(g, task, x, y, t);
        } else {
            w.matVec(g, task, x, y);
        }
        d.step(task, List.of(x, w.array()), List.of(y));
    }
}
