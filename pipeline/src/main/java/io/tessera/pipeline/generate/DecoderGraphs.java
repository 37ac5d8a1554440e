package io.tessera.pipeline.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tessera.pipeline.model.FeedForward;
import io.tessera.pipeline.model.LayerConfig;
import io.tessera.pipeline.model.LayerWeights;
import io.tessera.pipeline.model.ModelConfig;
import io.tessera.pipeline.model.ModelWeights;
import io.tessera.pipeline.model.PerLayerInputs;
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
final class DecoderGraphs implements DecoderStages {
    /** A graph under construction with its diagram. */
    static final class Builder {
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
    /** Scratch of the mixture-of-experts layers for a tile and for one token; null without such layers. */
    private ExpertBlock.Buffers tileExperts;
    private ExpertBlock.Buffers decodeExperts;
    /** Weights that an earlier prefill graph already copies to the device (shared by several layers). */
    private final java.util.Set<TypedArray> transferred = java.util.Collections.newSetFromMap(
            new java.util.IdentityHashMap<>());

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
        if (weights.perLayerInputs() != null) {
            name(weights.perLayerInputs().projectionNorm(), "per_layer_proj_norm");
        }
        for (int i = 0; i < weights.layers().size(); i++) {
            LayerWeights l = weights.layers().get(i);
            name(l.attnNorm(), "blk." + i + ".attn_norm");
            name(l.qNorm(), "blk." + i + ".attn_q_norm");
            name(l.kNorm(), "blk." + i + ".attn_k_norm");
            name(l.postAttnNorm(), "blk." + i + ".post_attention_norm");
            if (l.ffn() instanceof FeedForward.Dense d) {
                name(d.norm(), "blk." + i + ".ffn_norm");
            }
            if (l.ffn() instanceof FeedForward.Mixture m) {
                nameMixture(i, m);
            }
            name(l.postFfnNorm(), "blk." + i + ".post_ffw_norm");
            name(l.ropeFreqs(), "rope_freqs");
            name(l.outScale(), "blk." + i + ".layer_output_scale");
            if (l.perLayerInput() != null) {
                name(l.perLayerInput().postNorm(), "blk." + i + ".post_norm");
            }
        }
    }

    private void nameMixture(int i, FeedForward.Mixture m) {
        name(m.shared().norm(), "blk." + i + ".ffn_norm");
        name(m.sharedPostNorm(), "blk." + i + ".post_ffw_norm_1");
        name(m.experts().routerScale(), "blk." + i + ".ffn_gate_inp.scale/sqrt(hidden)");
        name(m.experts().norm(), "blk." + i + ".pre_ffw_norm_2");
        name(m.experts().downScale(), "blk." + i + ".ffn_down_exps.scale");
        name(m.experts().postNorm(), "blk." + i + ".post_ffw_norm_2");
        if (tileExperts == null) {
            int experts = 0;
            int used = 0;
            int width = 0;
            for (LayerWeights l : w.layers()) {
                if (l.ffn() instanceof FeedForward.Mixture x) {
                    experts = Math.max(experts, x.experts().count());
                    used = Math.max(used, x.experts().used());
                    width = Math.max(width, x.experts().width());
                }
            }
            tileExperts = new ExpertBlock.Buffers(s.tile, c.hidden(), experts, used, width, names, "");
            decodeExperts = new ExpertBlock.Buffers(1, c.hidden(), experts, used, width, names, "d");
        }
    }

    private void name(FloatArray a, String name) {
        if (a != null) {
            names.put(a, name);
        }
    }

    Built done(Builder b) {
        ImmutableTaskGraph g = b.graph.snapshot();
        return new Built(g, b.diagram.render(g));
    }

    @Override
    public Built prefillEmbed() {
        int t = s.tile;
        Builder b = new Builder("prefillEmbed", t + " tokens, embedding * sqrt(hidden)", names);
        b.graph.transferToDevice(DataTransferMode.EVERY_EXECUTION, s.tileTokens, s.tilePositions, s.blockEnd)
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, w.tokenEmbedding().array());
        w.tokenEmbedding().embed(b.graph, "embed", s.tileTokens, s.x, t, c.embeddingScale());
        b.flow("embed", List.of(s.tileTokens, w.tokenEmbedding().array()), List.of(s.x));
        perLayerInputs(b, s.tileTokens, s.x, s.perLayer, s.perLayerEmb, t, true);
        return done(b);
    }

    /**
     * The per-layer inputs of {@code t} rows from their tokens and scaled embeddings x0
     * ({@link PerLayerInputs}; llama.cpp {@code src/models/gemma4.cpp} {@code project_per_layer_inputs}):
     * out = (rmsNorm_perSlice(x0 Wproj / sqrt(hidden)) + embedding[token] * sqrt(width)) / sqrt(2).
     */
    void perLayerInputs(Builder b, IntArray tokens, FloatArray x0, FloatArray out, FloatArray emb, int t,
                        boolean first) {
        PerLayerInputs p = w.perLayerInputs();
        if (p == null) {
            return;
        }
        TaskGraph g = b.graph;
        TypedArray[] weights = {p.embedding().array(), p.projection().array(), p.projectionNorm()};
        if (first) {
            g.transferToDevice(DataTransferMode.FIRST_EXECUTION, weights);
        } else {
            g.consumeFromDevice(weights);
        }
        int n = t * c.layerCount() * p.width();
        project(b, "perLayerProj", p.projection(), x0, out, t, first);
        g.task("perLayerProjScale", Elementwise::scale, out, out, n, (float) (1.0 / Math.sqrt(c.hidden())));
        b.flow("perLayerProjScale", List.of(out), List.of(out));
        g.task("perLayerProjNorm", Norm::rmsNormHeads, out, p.projectionNorm(), out, t, c.layerCount(), p.width(),
                c.rmsEps());
        b.flow("perLayerProjNorm", List.of(out, p.projectionNorm()), List.of(out));
        p.embedding().embed(g, "perLayerEmbed", tokens, emb, t, (float) Math.sqrt(p.width()));
        b.flow("perLayerEmbed", List.of(tokens, p.embedding().array()), List.of(emb));
        g.task("perLayerSum", Elementwise::add, out, emb, out, n);
        b.flow("perLayerSum", List.of(out, emb), List.of(out));
        g.task("perLayerScale", Elementwise::scale, out, out, n, (float) (1.0 / Math.sqrt(2.0)));
        b.flow("perLayerScale", List.of(out), List.of(out));
    }

    /** A tile of embeddings written by the host (not scaled: image soft tokens enter as they are). */
    @Override
    public Built prefillInput() {
        int t = s.tile;
        Builder b = new Builder("prefillInput", t + " rows of embeddings from the host", names);
        b.graph.transferToDevice(DataTransferMode.EVERY_EXECUTION, s.tileInput, s.tilePositions, s.blockEnd);
        b.graph.task("input", Elementwise::copy, s.tileInput, 0L, s.x, 0L, t * c.hidden());
        b.flow("input", List.of(s.tileInput), List.of(s.x));
        if (w.perLayerInputs() != null) {
            // llama.cpp gemma4 build_inp_per_layer: embeddings from the host take token 0's per-layer row
            b.graph.transferToDevice(DataTransferMode.EVERY_EXECUTION, s.tileTokens);
            perLayerInputs(b, s.tileTokens, s.x, s.perLayer, s.perLayerEmb, t, true);
        }
        return done(b);
    }

    @Override
    public Built prefillLayer(int i) {
        LayerConfig lc = c.layer(i);
        LayerWeights lw = w.layers().get(i);
        int t = s.tile;
        Builder b = new Builder("prefillLayer" + i, t + " tokens, " + describe(lc), names);
        b.graph.consumeFromDevice(s.x, s.tilePositions, s.blockEnd);
        List<TypedArray> fresh = new ArrayList<>();
        List<TypedArray> seen = new ArrayList<>();
        for (TypedArray a : layerArrays(lw)) {
            (transferred.add(a) ? fresh : seen).add(a);
        }
        b.graph.transferToDevice(DataTransferMode.FIRST_EXECUTION, fresh.toArray(TypedArray[]::new));
        b.graph.consumeFromDevice(seen.toArray(TypedArray[]::new));
        if (!c.ownsKv(i)) {
            b.graph.consumeFromDevice(s.keyCache.get(i), s.valueCache.get(i));
        }
        if (s.perLayer != null) {
            b.graph.consumeFromDevice(s.perLayer);
        }
        layer(b, i, lw, lc, t, s.x, s.xb, s.xb2, s.q, s.k, s.v, s.att, s.hb, s.hb2, s.tilePositions, true);
        return done(b);
    }

    @Override
    public Built decodeEmbed() {
        Builder b = new Builder("decodeEmbed", "1 token, embedding * sqrt(hidden)", names);
        b.graph.transferToDevice(DataTransferMode.EVERY_EXECUTION, s.token, s.position);
        b.graph.consumeFromDevice(w.tokenEmbedding().array());
        w.tokenEmbedding().embed(b.graph, "embed", s.token, s.dx, 1, c.embeddingScale());
        b.flow("embed", List.of(s.token, w.tokenEmbedding().array()), List.of(s.dx));
        perLayerInputs(b, s.token, s.dx, s.dPerLayer, s.dPerLayerEmb, 1, false);
        return done(b);
    }

    @Override
    public Built decodeLayer(int i) {
        LayerConfig lc = c.layer(i);
        LayerWeights lw = w.layers().get(i);
        Builder b = new Builder("decodeLayer" + i, "1 token, " + describe(lc), names);
        b.graph.consumeFromDevice(s.dx, s.position, s.keyCache.get(i), s.valueCache.get(i));
        b.graph.consumeFromDevice(layerArrays(lw));
        if (s.dPerLayer != null) {
            b.graph.consumeFromDevice(s.dPerLayer);
        }
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
        for (Object o : l.tensors()) {
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
                + (lc.ropeFactor() != 1f ? " / " + lc.ropeFactor() : "") + ", heads " + lc.heads() + "/"
                + lc.kvHeads() + " x " + lc.headDim() + ", kv cache of layer " + lc.kvLayer();
    }

    /**
     * One decoder layer over {@code t} rows (spec/MODELS.md §1.2, §4.2; llama.cpp
     * {@code src/models/gemma4.cpp}); bracketed steps run where the family or layer has them:
     * <pre>
     *   xb = norm(x); q = xb Wq; [q = qNorm(q)]
     *   own cache: k = xb Wk; v = xb Wv (or k's projection); [k = kNorm(k)]; [v = rmsNorm(v)]
     *   q, k = rope(q, k) [with the layer's frequency factors]; cache[pos] = k, v
     *   att = attention(q, cache of kvLayer); xb2 = att Wo; [xb2 = postNorm(xb2)]; x += xb2
     *   xb2 = ffn(x); [xb2 = postNorm(xb2)]; x += xb2
     *   [x += postNorm(proj(gelu(x Wgate) * perLayer[layer]))]; [x *= outScale]
     * </pre>
     */
    private void layer(Builder b, int i, LayerWeights lw, LayerConfig lc, int t, FloatArray x, FloatArray xb,
                       FloatArray xb2, FloatArray q, FloatArray k, FloatArray v, FloatArray att, FloatArray hb,
                       FloatArray hb2, IntArray positions, boolean tile) {
        TaskGraph g = b.graph;
        FloatArray keys = s.keyCache.get(i);
        FloatArray values = s.valueCache.get(i);
        float eps = c.rmsEps();
        boolean own = c.ownsKv(i);
        g.task("attnNorm", Norm::rmsNorm, x, lw.attnNorm(), xb, t, c.hidden(), eps);
        b.flow("attnNorm", List.of(x, lw.attnNorm()), List.of(xb));
        project(b, "q", lw.q(), xb, q, t, tile);
        if (own) {
            project(b, "k", lw.k(), xb, k, t, tile);
            if (lw.v() != null) {
                project(b, "v", lw.v(), xb, v, t, tile);
            } else {
                // attention_k_eq_v: the values are the keys' projection before the key norm and RoPE
                g.task("kAsV", Elementwise::copy, k, 0L, v, 0L, t * lc.kvDim());
                b.flow("kAsV", List.of(k), List.of(v));
            }
        }
        if (c.qkNorm()) {
            g.task("qNorm", Norm::rmsNormHeads, q, lw.qNorm(), q, t, lc.heads(), lc.headDim(), eps);
            b.flow("qNorm", List.of(q, lw.qNorm()), List.of(q));
            if (own) {
                g.task("kNorm", Norm::rmsNormHeads, k, lw.kNorm(), k, t, lc.kvHeads(), lc.headDim(), eps);
                b.flow("kNorm", List.of(k, lw.kNorm()), List.of(k));
            }
        }
        if (own && c.architecture().valueNorm()) {
            g.task("vNorm", Norm::rmsNormNoScale, v, v, t * lc.kvHeads(), lc.headDim(), eps);
            b.flow("vNorm", List.of(v), List.of(v));
        }
        rope(b, "ropeQ", q, lw, lc, positions, t, lc.heads());
        if (own) {
            rope(b, "ropeK", k, lw, lc, positions, t, lc.kvHeads());
            g.task("storeK", KvCache::store, k, positions, keys, t, lc.kvDim());
            b.flow("storeK", List.of(k, positions), List.of(keys));
            g.task("storeV", KvCache::store, v, positions, values, t, lc.kvDim());
            b.flow("storeV", List.of(v, positions), List.of(values));
        }
        if (tile) {
            // causal, or bidirectional within the image block the tile holds (blockEnd)
            g.task("attention", ImageAttention::prefillBlock, q, keys, values, positions, s.blockEnd, att, t,
                    lc.heads(), lc.kvHeads(), lc.headDim(), lc.window(), c.attentionScale(), c.attentionSoftcap());
        } else {
            g.task("attention", CachedAttention::decode, q, keys, values, positions, att, lc.heads(), lc.kvHeads(),
                    lc.headDim(), lc.window(), c.attentionScale(), c.attentionSoftcap());
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
        feedForward(b, lw.ffn(), t, x, xb, xb2, hb, hb2, tile);
        if (c.postNorms()) {
            g.task("postFfnNorm", Norm::rmsNorm, xb2, lw.postFfnNorm(), xb2, t, c.hidden(), eps);
            b.flow("postFfnNorm", List.of(xb2, lw.postFfnNorm()), List.of(xb2));
        }
        g.task("ffnResidual", Elementwise::add, x, xb2, x, t * c.hidden());
        b.flow("ffnResidual", List.of(x, xb2), List.of(x));
        if (lw.perLayerInput() != null) {
            perLayerInput(b, i, lw.perLayerInput(), t, x, xb2, tile ? s.pl : s.dpl, tile ? s.perLayer : s.dPerLayer,
                    tile);
        }
        if (lw.outScale() != null) {
            g.task("outScale", Elementwise::scaleBy, x, lw.outScale(), x, t * c.hidden());
            b.flow("outScale", List.of(x, lw.outScale()), List.of(x));
        }
    }

    /** q or k rotated in place: with the layer's frequency factors where it has them (Gemma 4 global layers). */
    private static void rope(Builder b, String task, FloatArray a, LayerWeights lw, LayerConfig lc, IntArray positions,
                             int t, int heads) {
        if (lw.ropeFreqs() != null) {
            b.graph.task(task, Rope::ropeFactors, a, positions, lw.ropeFreqs(), t, heads, lc.headDim(),
                    lc.rotaryDims(), lc.ropeBase(), lc.ropeFactor());
            b.flow(task, List.of(a, positions, lw.ropeFreqs()), List.of(a));
        } else {
            b.graph.task(task, Rope::rope, a, positions, t, heads, lc.headDim(), lc.rotaryDims(), lc.ropeBase(),
                    lc.ropeFactor());
            b.flow(task, List.of(a, positions), List.of(a));
        }
    }

    /** out = the feed-forward block of the residual stream x, before any post norm (one case per kind). */
    private void feedForward(Builder b, FeedForward ffn, int t, FloatArray x, FloatArray xb, FloatArray out,
                             FloatArray hb, FloatArray hb2, boolean tile) {
        TaskGraph g = b.graph;
        switch (ffn) {
            case FeedForward.Dense d -> {
                g.task("ffnNorm", Norm::rmsNorm, x, d.norm(), xb, t, c.hidden(), c.rmsEps());
                b.flow("ffnNorm", List.of(x, d.norm()), List.of(xb));
                project(b, "gate", d.gate(), xb, hb, t, tile);
                project(b, "up", d.up(), xb, hb2, t, tile);
                g.task("geglu", Activation::geglu, hb, hb2, hb, t * d.width());
                b.flow("geglu", List.of(hb, hb2), List.of(hb));
                project(b, "down", d.down(), hb, out, t, tile);
            }
            case FeedForward.Mixture m -> ExpertBlock.add(g, b.diagram, m.shared().norm(), m.shared().gate(),
                    m.shared().up(), m.shared().down(), m.sharedPostNorm(), m.experts(),
                    tile ? tileExperts : decodeExperts, x, xb, hb, hb2, out, t, tile, c.hidden(), c.rmsEps());
        }
    }

    /**
     * x += postNorm(proj(gelu(x Wgate) * in[layer])): the layer's per-layer input
     * ({@link PerLayerInputs}); in: [t][layers][width].
     */
    private void perLayerInput(Builder b, int layer, PerLayerInputs.Layer p, int t, FloatArray x, FloatArray tmp,
                               FloatArray gated, FloatArray in, boolean tile) {
        perLayerTerm(b, layer, p, t, x, tmp, gated, in, tile);
        b.graph.task("perLayerResidual", Elementwise::add, x, tmp, x, t * c.hidden());
        b.flow("perLayerResidual", List.of(x, tmp), List.of(x));
    }

    /**
     * tmp = postNorm(proj(gelu(x Wgate) * in[layer])): the term a layer's per-layer input adds
     * (to x in Gemma 4, to the AltUp streams in Gemma 3n); gated: [t][width] scratch.
     */
    void perLayerTerm(Builder b, int layer, PerLayerInputs.Layer p, int t, FloatArray x, FloatArray tmp,
                      FloatArray gated, FloatArray in, boolean tile) {
        TaskGraph g = b.graph;
        int width = c.perLayerInput();
        project(b, "perLayerGate", p.gate(), x, gated, t, tile);
        g.task("perLayerGelu", Activation::geluTanh, gated, gated, t * width);
        b.flow("perLayerGelu", List.of(gated), List.of(gated));
        g.task("perLayerMul", Elementwise::mulSlice, gated, in, gated, t, width, c.layerCount() * width,
                layer * width);
        b.flow("perLayerMul", List.of(gated, in), List.of(gated));
        project(b, "perLayerProj", p.projection(), gated, tmp, t, tile);
        g.task("perLayerNorm", Norm::rmsNorm, tmp, p.postNorm(), tmp, t, c.hidden(), c.rmsEps());
        b.flow("perLayerNorm", List.of(tmp, p.postNorm()), List.of(tmp));
    }

    /** y = W x: matMul over a tile, matVec for one token. */
    static void project(Builder b, String task, Weight w, FloatArray x, FloatArray y, int t, boolean tile) {
        if (tile) {
            w.matMul(b.graph, task, x, y, t);
        } else {
            w.matVec(b.graph, task, x, y);
        }
        b.flow(task, List.of(x, w.array()), List.of(y));
    }
}
