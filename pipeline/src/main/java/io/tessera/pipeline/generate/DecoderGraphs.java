package io.tessera.pipeline.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tessera.pipeline.model.LayerConfig;
import io.tessera.pipeline.model.LayerWeights;
import io.tessera.pipeline.model.ModelConfig;
import io.tessera.pipeline.model.ModelWeights;
import io.tessera.pipeline.model.Weight;
import io.tessera.tasks.api.DataTransferMode;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.ImmutableTaskGraph;
import io.tessera.tasks.api.IntArray;
import io.tessera.tasks.api.TaskGraph;
import io.tessera.tasks.api.TypedArray;
import io.tessera.tasks.kernels.Activation;
import io.tessera.tasks.kernels.CachedAttention;
import io.tessera.tasks.kernels.Elementwise;
import io.tessera.tasks.kernels.ImageAttention;
import io.tessera.tasks.kernels.KvCache;
import io.tessera.tasks.kernels.Norm;
import io.tessera.tasks.kernels.Rope;
import io.tessera.tasks.kernels.Softmax;

/**
 * The forward pass of a Gemma-family decoder as task graphs (spec/MODELS.md §1.2), one per layer
 * and phase, plus the embedding and logits graphs around them:
 *
 * <pre>
 *   prefill (a tile of T tokens, matMul)        decode (one token, matVec)
 *   prefillEmbed      tokens -> x               decodeEmbed      token -> dx
 *   (or prefillInput  tileInput -> x: embeddings from the host, e.g. an image's soft tokens)
 *   prefillLayer0..L  x -> x, KV cache          decodeLayer0..L  dx -> dx, KV cache
 *   prefillLogits     x -> tileLogits (host)    decodeLogits     dx -> logits (host)
 *   prefillLast       x[lastRow] -> dx          (then decodeLogits)
 * </pre>
 *
 * Weights are copied to the device once, by the first prefill graph that reads each of them
 * ({@link DataTransferMode#FIRST_EXECUTION}); decode graphs find them there, since a prompt is
 * always prefilled first. All graphs run in one execution plan, so activations and the KV cache
 * stay resident on the device from graph to graph (each graph names what it takes from there with
 * {@code consumeFromDevice}); only token ids and positions go in and logits come out. Nothing is
 * persisted past the plan: closing it frees every device buffer.
 */
final class DecoderGraphs {
    /** A graph under construction with its diagram. */
    private static final class Builder {
        final TaskGraph graph;
        final GraphDiagram diagram;

        Builder(String name, String title, Map<TypedArray, String> names) {
            graph = new TaskGraph(name);
            diagram = new GraphDiagram(names, title);
        }

        Builder flow(String task, List<TypedArray> in, List<TypedArray> out) {
            diagram.step(task, in, out);
            return this;
        }
    }

    /** A built graph and its diagram. */
    record Built(ImmutableTaskGraph graph, String diagram) {
    }

    private final ModelConfig c;
    private final ModelWeights w;
    private final RunState s;
    private final Map<TypedArray, String> names;

    DecoderGraphs(ModelConfig config, ModelWeights weights, RunState state, Map<TypedArray, String> names) {
        this.c = config;
        this.w = weights;
        this.s = state;
        this.names = names;
        for (Object t : weights.tensors()) {
            switch (t) {
                case Weight m -> names.put(m.array(), m.name() + " " + m.type());
                case FloatArray f -> names.putIfAbsent(f, "norm");
                default -> throw new IllegalStateException("unexpected tensor " + t);
            }
        }
        name(weights.outputNorm(), "output_norm");
        for (int i = 0; i < weights.layers().size(); i++) {
            LayerWeights l = weights.layers().get(i);
            name(l.attnNorm(), "blk." + i + ".attn_norm");
            name(l.qNorm(), "blk." + i + ".attn_q_norm");
            name(l.kNorm(), "blk." + i + ".attn_k_norm");
            name(l.postAttnNorm(), "blk." + i + ".post_attention_norm");
            name(l.ffnNorm(), "blk." + i + ".ffn_norm");
            name(l.postFfnNorm(), "blk." + i + ".post_ffw_norm");
        }
    }

    private void name(FloatArray a, String name) {
        if (a != null) {
            names.put(a, name);
        }
    }

    private Built done(Builder b) {
        ImmutableTaskGraph g = b.graph.snapshot();
        return new Built(g, b.diagram.render(g));
    }

    Built prefillEmbed() {
        int t = s.tile;
        Builder b = new Builder("prefillEmbed", t + " tokens, embedding * sqrt(hidden)", names);
        b.graph.transferToDevice(DataTransferMode.EVERY_EXECUTION, s.tileTokens, s.tilePositions, s.blockEnd)
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, w.tokenEmbedding().array());
        w.tokenEmbedding().embed(b.graph, "embed", s.tileTokens, s.x, t, c.embeddingScale());
        b.flow("embed", List.of(s.tileTokens, w.tokenEmbedding().array()), List.of(s.x));
        return done(b);
    }

    /** A tile of embeddings written by the host (not scaled: image soft tokens enter as they are). */
    Built prefillInput() {
        int t = s.tile;
        Builder b = new Builder("prefillInput", t + " rows of embeddings from the host", names);
        b.graph.transferToDevice(DataTransferMode.EVERY_EXECUTION, s.tileInput, s.tilePositions, s.blockEnd);
        b.graph.task("input", Elementwise::copy, s.tileInput, 0L, s.x, 0L, t * c.hidden());
        b.flow("input", List.of(s.tileInput), List.of(s.x));
        return done(b);
    }

    Built prefillLayer(int i) {
        LayerConfig lc = c.layer(i);
        LayerWeights lw = w.layers().get(i);
        int t = s.tile;
        Builder b = new Builder("prefillLayer" + i, t + " tokens, " + describe(lc), names);
        b.graph.consumeFromDevice(s.x, s.tilePositions, s.blockEnd);
        b.graph.transferToDevice(DataTransferMode.FIRST_EXECUTION, layerArrays(lw));
        layer(b, i, lw, lc, t, s.x, s.xb, s.xb2, s.q, s.k, s.v, s.att, s.hb, s.hb2, s.tilePositions, true);
        return done(b);
    }

    Built decodeEmbed() {
        Builder b = new Builder("decodeEmbed", "1 token, embedding * sqrt(hidden)", names);
        b.graph.transferToDevice(DataTransferMode.EVERY_EXECUTION, s.token, s.position);
        b.graph.consumeFromDevice(w.tokenEmbedding().array());
        w.tokenEmbedding().embed(b.graph, "embed", s.token, s.dx, 1, c.embeddingScale());
        b.flow("embed", List.of(s.token, w.tokenEmbedding().array()), List.of(s.dx));
        return done(b);
    }

    Built decodeLayer(int i) {
        LayerConfig lc = c.layer(i);
        LayerWeights lw = w.layers().get(i);
        Builder b = new Builder("decodeLayer" + i, "1 token, " + describe(lc), names);
        b.graph.consumeFromDevice(s.dx, s.position, s.keyCache.get(i), s.valueCache.get(i));
        b.graph.consumeFromDevice(layerArrays(lw));
        layer(b, i, lw, lc, 1, s.dx, s.dxb, s.dxb2, s.dq, s.dk, s.dv, s.datt, s.dhb, s.dhb2, s.position, false);
        return done(b);
    }

    /** Final norm and logits of every row of the tile. */
    Built prefillLogits() {
        int t = s.tile;
        Builder b = new Builder("prefillLogits", t + " tokens, final norm and logits of every row", names);
        b.graph.consumeFromDevice(s.x);
        b.graph.transferToDevice(DataTransferMode.FIRST_EXECUTION, outputArrays());
        b.graph.task("outputNorm", Norm::rmsNorm, s.x, w.outputNorm(), s.xb, t, c.hidden(), c.rmsEps());
        b.flow("outputNorm", List.of(s.x, w.outputNorm()), List.of(s.xb));
        w.output().matMul(b.graph, "output", s.xb, s.tileLogits, t);
        b.flow("output", List.of(s.xb, w.output().array()), List.of(s.tileLogits));
        if (c.finalSoftcap() > 0) {
            b.graph.task("softcap", Softmax::softcap, s.tileLogits, s.tileLogits, t * c.vocab(), c.finalSoftcap());
            b.flow("softcap", List.of(s.tileLogits), List.of(s.tileLogits));
        }
        b.graph.transferToHost(DataTransferMode.EVERY_EXECUTION, s.tileLogits);
        return done(b);
    }

    /** The hidden state of the tile's last real row, for {@link #decodeLogits}. */
    Built prefillLast() {
        Builder b = new Builder("prefillLast", "row lastRow of the tile to the decode state", names);
        b.graph.consumeFromDevice(s.x);
        b.graph.transferToDevice(DataTransferMode.EVERY_EXECUTION, s.lastRow);
        b.graph.task("gather", KvCache::gatherRow, s.x, s.lastRow, s.dx, c.hidden());
        b.flow("gather", List.of(s.x, s.lastRow), List.of(s.dx));
        return done(b);
    }

    Built decodeLogits() {
        Builder b = new Builder("decodeLogits", "1 token, final norm and logits", names);
        b.graph.consumeFromDevice(s.dx);
        b.graph.transferToDevice(DataTransferMode.FIRST_EXECUTION, outputArrays());
        b.graph.task("outputNorm", Norm::rmsNorm, s.dx, w.outputNorm(), s.dxb, 1, c.hidden(), c.rmsEps());
        b.flow("outputNorm", List.of(s.dx, w.outputNorm()), List.of(s.dxb));
        w.output().matVec(b.graph, "output", s.dxb, s.logits);
        b.flow("output", List.of(s.dxb, w.output().array()), List.of(s.logits));
        if (c.finalSoftcap() > 0) {
            b.graph.task("softcap", Softmax::softcap, s.logits, s.logits, c.vocab(), c.finalSoftcap());
            b.flow("softcap", List.of(s.logits), List.of(s.logits));
        }
        b.graph.transferToHost(DataTransferMode.EVERY_EXECUTION, s.logits);
        return done(b);
    }

    /** The output norm, and the output matrix when it is not the (already copied) embedding. */
    private TypedArray[] outputArrays() {
        return w.output() == w.tokenEmbedding() ? new TypedArray[] {w.outputNorm()}
                : new TypedArray[] {w.outputNorm(), w.output().array()};
    }

    private static TypedArray[] layerArrays(LayerWeights l) {
        List<TypedArray> a = new ArrayList<>();
        for (Object o : new Object[] {l.attnNorm(), l.q(), l.k(), l.v(), l.qNorm(), l.kNorm(), l.o(),
            l.postAttnNorm(), l.ffnNorm(), l.gate(), l.up(), l.down(), l.postFfnNorm()}) {
            if (o instanceof Weight m) {
                a.add(m.array());
            } else if (o instanceof FloatArray f) {
                a.add(f);
            }
        }
        return a.toArray(TypedArray[]::new);
    }

    private static String describe(LayerConfig lc) {
        return (lc.local() ? "local, window " + lc.window() : "global") + ", rope base " + lc.ropeBase()
                + (lc.ropeFactor() != 1f ? " / " + lc.ropeFactor() : "");
    }

    /**
     * One decoder layer over {@code t} rows (spec/MODELS.md §1.2):
     * <pre>
     *   xb = norm(x); q, k, v = xb Wq, xb Wk, xb Wv; [q, k = qkNorm(q), qkNorm(k)]; q, k = rope(q, k)
     *   cache[pos] = k, v; att = attention(q, cache); xb2 = att Wo; [xb2 = postNorm(xb2)]; x += xb2
     *   xb = norm(x); hb = gelu(xb Wgate) * (xb Wup); xb2 = hb Wdown; [xb2 = postNorm(xb2)]; x += xb2
     * </pre>
     */
    private void layer(Builder b, int i, LayerWeights lw, LayerConfig lc, int t, FloatArray x, FloatArray xb,
                       FloatArray xb2, FloatArray q, FloatArray k, FloatArray v, FloatArray att, FloatArray hb,
                       FloatArray hb2, IntArray positions, boolean tile) {
        TaskGraph g = b.graph;
        FloatArray keys = s.keyCache.get(i);
        FloatArray values = s.valueCache.get(i);
        float eps = c.rmsEps();
        g.task("attnNorm", Norm::rmsNorm, x, lw.attnNorm(), xb, t, c.hidden(), eps);
        b.flow("attnNorm", List.of(x, lw.attnNorm()), List.of(xb));
        project(b, "q", lw.q(), xb, q, t, tile);
        project(b, "k", lw.k(), xb, k, t, tile);
        project(b, "v", lw.v(), xb, v, t, tile);
        if (c.qkNorm()) {
            g.task("qNorm", Norm::rmsNormHeads, q, lw.qNorm(), q, t, c.heads(), c.headDim(), eps);
            b.flow("qNorm", List.of(q, lw.qNorm()), List.of(q));
            g.task("kNorm", Norm::rmsNormHeads, k, lw.kNorm(), k, t, c.kvHeads(), c.headDim(), eps);
            b.flow("kNorm", List.of(k, lw.kNorm()), List.of(k));
        }
        g.task("ropeQ", Rope::rope, q, positions, t, c.heads(), c.headDim(), c.rotaryDims(), lc.ropeBase(),
                lc.ropeFactor());
        b.flow("ropeQ", List.of(q, positions), List.of(q));
        g.task("ropeK", Rope::rope, k, positions, t, c.kvHeads(), c.headDim(), c.rotaryDims(), lc.ropeBase(),
                lc.ropeFactor());
        b.flow("ropeK", List.of(k, positions), List.of(k));
        g.task("storeK", KvCache::store, k, positions, keys, t, c.kvDim());
        b.flow("storeK", List.of(k, positions), List.of(keys));
        g.task("storeV", KvCache::store, v, positions, values, t, c.kvDim());
        b.flow("storeV", List.of(v, positions), List.of(values));
        if (tile) {
            // causal, or bidirectional within the image block the tile holds (blockEnd)
            g.task("attention", ImageAttention::prefillBlock, q, keys, values, positions, s.blockEnd, att, t, c.heads(),
                    c.kvHeads(), c.headDim(), lc.window(), c.attentionScale(), c.attentionSoftcap());
        } else {
            g.task("attention", CachedAttention::decode, q, keys, values, positions, att, c.heads(), c.kvHeads(),
                    c.headDim(), lc.window(), c.attentionScale(), c.attentionSoftcap());
        }
        b.flow("attention", tile ? List.of(q, keys, values, positions, s.blockEnd) : List.of(q, keys, values, positions),
                List.of(att));
        project(b, "o", lw.o(), att, xb2, t, tile);
        if (c.postNorms()) {
            g.task("postAttnNorm", Norm::rmsNorm, xb2, lw.postAttnNorm(), xb2, t, c.hidden(), eps);
            b.flow("postAttnNorm", List.of(xb2, lw.postAttnNorm()), List.of(xb2));
        }
        g.task("attnResidual", Elementwise::add, x, xb2, x, t * c.hidden());
        b.flow("attnResidual", List.of(x, xb2), List.of(x));
        g.task("ffnNorm", Norm::rmsNorm, x, lw.ffnNorm(), xb, t, c.hidden(), eps);
        b.flow("ffnNorm", List.of(x, lw.ffnNorm()), List.of(xb));
        project(b, "gate", lw.gate(), xb, hb, t, tile);
        project(b, "up", lw.up(), xb, hb2, t, tile);
        g.task("geglu", Activation::geglu, hb, hb2, hb, t * c.ffn());
        b.flow("geglu", List.of(hb, hb2), List.of(hb));
        project(b, "down", lw.down(), hb, xb2, t, tile);
        if (c.postNorms()) {
            g.task("postFfnNorm", Norm::rmsNorm, xb2, lw.postFfnNorm(), xb2, t, c.hidden(), eps);
            b.flow("postFfnNorm", List.of(xb2, lw.postFfnNorm()), List.of(xb2));
        }
        g.task("ffnResidual", Elementwise::add, x, xb2, x, t * c.hidden());
        b.flow("ffnResidual", List.of(x, xb2), List.of(x));
    }

    /** y = W x: matMul over a tile, matVec for one token. */
    private static void project(Builder b, String task, Weight w, FloatArray x, FloatArray y, int t, boolean tile) {
        if (tile) {
            w.matMul(b.graph, task, x, y, t);
        } else {
            w.matVec(b.graph, task, x, y);
        }
        b.flow(task, List.of(x, w.array()), List.of(y));
    }
}
