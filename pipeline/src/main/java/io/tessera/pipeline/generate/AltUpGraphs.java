package io.tessera.pipeline.generate;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tessera.pipeline.generate.DecoderGraphs.Builder;
import io.tessera.pipeline.generate.DecoderGraphs.Built;
import io.tessera.pipeline.model.AltUpConfig;
import io.tessera.pipeline.model.AltUpWeights;
import io.tessera.pipeline.model.FeedForward;
import io.tessera.pipeline.model.LayerConfig;
import io.tessera.pipeline.model.LayerWeights;
import io.tessera.pipeline.model.ModelConfig;
import io.tessera.pipeline.model.ModelWeights;
import io.tessera.pipeline.model.Weight;
import io.tessera.tasks.api.DataTransferMode;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.IntArray;
import io.tessera.tasks.api.TaskGraph;
import io.tessera.tasks.api.TypedArray;
import io.tessera.tasks.kernels.Activation;
import io.tessera.tasks.kernels.AltUp;
import io.tessera.tasks.kernels.CachedAttention;
import io.tessera.tasks.kernels.Elementwise;
import io.tessera.tasks.kernels.ImageAttention;
import io.tessera.tasks.kernels.KvCache;
import io.tessera.tasks.kernels.Norm;
import io.tessera.tasks.kernels.Rope;
import io.tessera.tasks.kernels.Softmax;
import io.tessera.tasks.kernels.Sparsity;

/**
 * The input and layer graphs of a decoder with AltUp streams, per-layer inputs, LAuReL and KV
 * sharing (Gemma 3n; spec/MODELS.md §4.1; llama.cpp {@code src/models/gemma3n.cpp}). H hidden, n
 * streams, P per-layer width, L layers; streams are kept [n][rows][H], the active stream first, so
 * that its rows are also the start of the buffer:
 *
 * <pre>
 *   embed        x = embed(tokens) * sqrt(H)
 *                perLayer = (rmsNorm(Wplm x / sqrt(H)) + perLayerEmbed(tokens) * sqrt(P)) / sqrt(2)   [rows][L][P]
 *                streams[0] = x; streams[s] = match(x, Waltup[s] x)                                   s = 1..n-1
 *   layer i      m = tanh(Wrouter rmsNorm(streams[0]) / H); pred = predict(streams, Wpredict m)
 *                xb = norm(pred[0]); laurel = xb + norm(Wr Wl xb)
 *                att = attention(qkNorm(q), kNorm(k), rmsNorm(v); cache of kvLayer(i)); xb2 = norm(att Wo) + pred[0]
 *                work = (xb2 + laurel) / sqrt(2); x = work + norm(down(gelu([topk] gate) * up)(norm(work)))
 *                m = tanh(Wrouter rmsNorm(x) / H); streams = correct(pred, x, Wcorrect m)
 *                streams[1..] += norm(Wproj (gelu(Wgate (streams[0] * scale)) * perLayer[i]))
 *   after L-1    x = (streams[0] + sum_s match(streams[0], Wunembed[s] streams[s])) / n
 * </pre>
 *
 * where match(r, y) = y |r| / |y| per row. The logits graphs of {@link DecoderGraphs} then read x.
 */
final class AltUpGraphs implements DecoderStages {
    private static final float INV_SQRT2 = (float) (1 / Math.sqrt(2));

    /** The buffers of one phase (a prefill tile or one decode token) beyond {@link RunState}'s. */
    private static final class Phase {
        final int rows;
        final FloatArray streams;      // (n, rows, H)
        final FloatArray predictions;  // (n, rows, H)
        final FloatArray work;         // (rows, H) attention output plus LAuReL, the feed-forward residual
        final FloatArray laurel;       // (rows, H)
        final FloatArray lowRank;      // (rows, r)
        final FloatArray router;       // (rows, H) router input
        final FloatArray modalities;   // (rows, n)
        final FloatArray predictCoefs; // (rows, n * n)
        final FloatArray correctCoefs; // (rows, n)
        final FloatArray streamIn;     // (rows, H)
        final FloatArray streamOut;    // (rows, H)

        Phase(String prefix, int rows, ModelConfig c, AltUpConfig a, Arena arena, Map<TypedArray, String> names) {
            this.rows = rows;
            long t = rows;
            int h = c.hidden();
            int n = a.streams();
            streams = named(names, prefix + "streams", FloatArray.allocate(arena, n * t * h));
            predictions = named(names, prefix + "predictions", FloatArray.allocate(arena, n * t * h));
            work = named(names, prefix + "work", FloatArray.allocate(arena, t * h));
            laurel = named(names, prefix + "laurel", FloatArray.allocate(arena, t * h));
            lowRank = named(names, prefix + "lowRank", FloatArray.allocate(arena, t * a.laurelRank()));
            router = named(names, prefix + "router", FloatArray.allocate(arena, t * h));
            modalities = named(names, prefix + "modalities", FloatArray.allocate(arena, t * n));
            predictCoefs = named(names, prefix + "predictCoefs", FloatArray.allocate(arena, t * n * n));
            correctCoefs = named(names, prefix + "correctCoefs", FloatArray.allocate(arena, t * n));
            streamIn = named(names, prefix + "streamIn", FloatArray.allocate(arena, t * h));
            streamOut = named(names, prefix + "streamOut", FloatArray.allocate(arena, t * h));
        }

        private static <T extends TypedArray> T named(Map<TypedArray, String> names, String name, T array) {
            names.put(array, name);
            return array;
        }
    }

    private final ModelConfig c;
    private final ModelWeights w;
    private final AltUpConfig a;
    private final AltUpWeights aw;
    private final RunState s;
    private final DecoderGraphs base;
    private final Map<TypedArray, String> names;
    private final Phase tile;
    private final Phase token;
    /** Layer weights an earlier prefill graph already copies to the device. */
    private final Set<TypedArray> transferred = Collections.newSetFromMap(new IdentityHashMap<>());

    /** {@code base} builds the per-layer inputs, which Gemma 3n computes as Gemma 4 does. */
    AltUpGraphs(ModelConfig config, ModelWeights weights, AltUpConfig altUp, AltUpWeights altUpWeights, RunState state,
                DecoderGraphs base, Arena arena, Map<TypedArray, String> names) {
        if (weights.perLayerInputs() == null) {
            throw new IllegalArgumentException("AltUp graphs need the per-layer inputs of the model");
        }
        this.c = config;
        this.w = weights;
        this.a = altUp;
        this.aw = altUpWeights;
        this.s = state;
        this.base = base;
        this.names = names;
        this.tile = new Phase("", state.tile, config, altUp, arena, names);
        this.token = new Phase("d", 1, config, altUp, arena, names);
        for (Object t : altUpWeights.tensors()) {
            if (t instanceof Weight m) {
                names.put(m.array(), m.name() + " " + m.type());
            }
        }
        for (int i = 0; i < altUpWeights.layers().size(); i++) {
            AltUpWeights.Layer l = altUpWeights.layers().get(i);
            names.put(l.correctScale(), "blk." + i + ".altup_correct_scale");
            names.put(l.routerNorm(), "blk." + i + ".altup_router_norm");
            names.put(l.laurelPostNorm(), "blk." + i + ".laurel_post_norm");
        }
    }

    @Override
    public Built prefillEmbed() {
        int t = s.tile;
        Builder b = new Builder("prefillEmbed", t + " tokens, embedding, per-layer inputs, AltUp streams", names);
        b.graph.transferToDevice(DataTransferMode.EVERY_EXECUTION, s.tileTokens, s.tilePositions, s.blockEnd)
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, w.tokenEmbedding().array())
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, streamArrays(aw.streamProjections()));
        w.tokenEmbedding().embed(b.graph, "embed", s.tileTokens, s.x, t, c.embeddingScale());
        b.flow("embed", List.of(s.tileTokens, w.tokenEmbedding().array()), List.of(s.x));
        base.perLayerInputs(b, s.tileTokens, s.x, s.perLayer, s.perLayerEmb, t, true);
        stack(b, tile, s.x, true);
        return base.done(b);
    }

    /**
     * Host-written embeddings enter unscaled, with the per-layer rows of token 0, which the decoder
     * writes into the tile's tokens (llama.cpp's multimodal path of {@code build_inp_per_layer}).
     */
    @Override
    public Built prefillInput() {
        int t = s.tile;
        Builder b = new Builder("prefillInput", t + " rows of embeddings from the host, AltUp streams", names);
        b.graph.transferToDevice(DataTransferMode.EVERY_EXECUTION, s.tileInput, s.tileTokens, s.tilePositions,
                        s.blockEnd)
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, streamArrays(aw.streamProjections()));
        b.graph.task("input", Elementwise::copy, s.tileInput, 0L, s.x, 0L, t * c.hidden());
        b.flow("input", List.of(s.tileInput), List.of(s.x));
        base.perLayerInputs(b, s.tileTokens, s.x, s.perLayer, s.perLayerEmb, t, true);
        stack(b, tile, s.x, true);
        return base.done(b);
    }

    @Override
    public Built decodeEmbed() {
        Builder b = new Builder("decodeEmbed", "1 token, embedding, per-layer inputs, AltUp streams", names);
        b.graph.transferToDevice(DataTransferMode.EVERY_EXECUTION, s.token, s.position);
        b.graph.consumeFromDevice(w.tokenEmbedding().array());
        b.graph.consumeFromDevice(streamArrays(aw.streamProjections()));
        w.tokenEmbedding().embed(b.graph, "embed", s.token, s.dx, 1, c.embeddingScale());
        b.flow("embed", List.of(s.token, w.tokenEmbedding().array()), List.of(s.dx));
        base.perLayerInputs(b, s.token, s.dx, s.dPerLayer, s.dPerLayerEmb, 1, false);
        stack(b, token, s.dx, false);
        return base.done(b);
    }

    @Override
    public Built prefillLayer(int i) {
        int t = s.tile;
        Builder b = new Builder("prefillLayer" + i, t + " tokens, " + describe(i), names);
        b.graph.consumeFromDevice(s.x, s.tilePositions, s.blockEnd, tile.streams, s.perLayer);
        if (!c.ownsKv(i)) {
            b.graph.consumeFromDevice(s.keyCache.get(i), s.valueCache.get(i));
        }
        List<TypedArray> fresh = new ArrayList<>();
        List<TypedArray> seen = new ArrayList<>();
        for (TypedArray x : layerArrays(i)) {
            (transferred.add(x) ? fresh : seen).add(x);
        }
        b.graph.transferToDevice(DataTransferMode.FIRST_EXECUTION, fresh.toArray(TypedArray[]::new));
        b.graph.consumeFromDevice(seen.toArray(TypedArray[]::new));
        layer(b, i, tile, s.x, s.xb, s.xb2, s.q, s.k, s.v, s.att, s.hb, s.hb2, s.pl, s.perLayer, s.tilePositions,
                true);
        return base.done(b);
    }

    @Override
    public Built decodeLayer(int i) {
        Builder b = new Builder("decodeLayer" + i, "1 token, " + describe(i), names);
        b.graph.consumeFromDevice(s.dx, s.position, s.keyCache.get(i), s.valueCache.get(i), token.streams,
                s.dPerLayer);
        b.graph.consumeFromDevice(layerArrays(i));
        layer(b, i, token, s.dx, s.dxb, s.dxb2, s.dq, s.dk, s.dv, s.datt, s.dhb, s.dhb2, s.dpl, s.dPerLayer,
                s.position, false);
        return base.done(b);
    }

    private String describe(int i) {
        LayerConfig lc = c.layer(i);
        return (lc.local() ? "local, window " + lc.window() : "global") + ", rope base " + lc.ropeBase()
                + (c.ownsKv(i) ? "" : ", KV of layer " + lc.kvLayer())
                + (a.sparse(i) ? ", gaussian top-k " + a.stdMultiplier(i) : "");
    }

    /** streams[0] = x; streams[k] = match(x, Waltup[k] x): the embedded rows x spread over the n streams. */
    private void stack(Builder b, Phase p, FloatArray x, boolean tiled) {
        TaskGraph g = b.graph;
        int t = p.rows;
        int h = c.hidden();
        g.task("stream0", Elementwise::copy, x, 0L, p.streams, 0L, t * h);
        b.flow("stream0", List.of(x), List.of(p.streams));
        for (int k = 1; k < a.streams(); k++) {
            DecoderGraphs.project(b, "altupProj" + k, aw.streamProjections().get(k - 1), x, p.streamOut, t, tiled);
            g.task("stream" + k, AltUp::matchMagnitude, x, p.streamOut, p.streams, (long) k * t * h, t, h);
            b.flow("stream" + k, List.of(x, p.streamOut), List.of(p.streams));
        }
    }

    /**
     * One layer over the phase's rows; x is the working row buffer, and after the last layer it holds
     * the streams merged back into one. gated: (rows, P) scratch; perLayer: (rows, L, P).
     */
    private void layer(Builder b, int i, Phase p, FloatArray x, FloatArray xb, FloatArray xb2, FloatArray q,
                       FloatArray k, FloatArray v, FloatArray att, FloatArray hb, FloatArray hb2, FloatArray gated,
                       FloatArray perLayer, IntArray positions, boolean tiled) {
        TaskGraph g = b.graph;
        LayerConfig lc = c.layer(i);
        LayerWeights lw = w.layers().get(i);
        FeedForward.Dense ffn = dense(lw, i);
        AltUpWeights.Layer al = aw.layers().get(i);
        int t = p.rows;
        int h = c.hidden();
        int n = a.streams();
        float eps = c.rmsEps();
        FloatArray keys = s.keyCache.get(i);
        FloatArray values = s.valueCache.get(i);

        router(b, "predictRouter", p.streams, al, p, tiled);
        DecoderGraphs.project(b, "predictCoef", al.predictCoef(), p.modalities, p.predictCoefs, t, tiled);
        g.task("predict", AltUp::predict, p.streams, p.predictCoefs, p.predictions, n, t, h);
        b.flow("predict", List.of(p.streams, p.predictCoefs), List.of(p.predictions));

        g.task("attnNorm", Norm::rmsNorm, p.predictions, lw.attnNorm(), xb, t, h, eps);
        b.flow("attnNorm", List.of(p.predictions, lw.attnNorm()), List.of(xb));
        DecoderGraphs.project(b, "laurelL", al.laurelLeft(), xb, p.lowRank, t, tiled);
        DecoderGraphs.project(b, "laurelR", al.laurelRight(), p.lowRank, p.laurel, t, tiled);
        g.task("laurelNorm", Norm::rmsNorm, p.laurel, al.laurelPostNorm(), p.laurel, t, h, eps);
        b.flow("laurelNorm", List.of(p.laurel, al.laurelPostNorm()), List.of(p.laurel));
        g.task("laurelResidual", Elementwise::add, p.laurel, xb, p.laurel, t * h);
        b.flow("laurelResidual", List.of(p.laurel, xb), List.of(p.laurel));

        DecoderGraphs.project(b, "q", lw.q(), xb, q, t, tiled);
        g.task("qNorm", Norm::rmsNormHeads, q, lw.qNorm(), q, t, lc.heads(), lc.headDim(), eps);
        b.flow("qNorm", List.of(q, lw.qNorm()), List.of(q));
        g.task("ropeQ", Rope::rope, q, positions, t, lc.heads(), lc.headDim(), lc.rotaryDims(), lc.ropeBase(),
                lc.ropeFactor());
        b.flow("ropeQ", List.of(q, positions), List.of(q));
        if (c.ownsKv(i)) {
            DecoderGraphs.project(b, "k", lw.k(), xb, k, t, tiled);
            DecoderGraphs.project(b, "v", lw.v(), xb, v, t, tiled);
            g.task("kNorm", Norm::rmsNormHeads, k, lw.kNorm(), k, t, lc.kvHeads(), lc.headDim(), eps);
            b.flow("kNorm", List.of(k, lw.kNorm()), List.of(k));
            g.task("vNorm", Norm::rmsNormNoScale, v, v, t * lc.kvHeads(), lc.headDim(), eps);
            b.flow("vNorm", List.of(v), List.of(v));
            g.task("ropeK", Rope::rope, k, positions, t, lc.kvHeads(), lc.headDim(), lc.rotaryDims(), lc.ropeBase(),
                    lc.ropeFactor());
            b.flow("ropeK", List.of(k, positions), List.of(k));
            g.task("storeK", KvCache::store, k, positions, keys, t, lc.kvDim());
            b.flow("storeK", List.of(k, positions), List.of(keys));
            g.task("storeV", KvCache::store, v, positions, values, t, lc.kvDim());
            b.flow("storeV", List.of(v, positions), List.of(values));
        }
        if (tiled) {
            g.task("attention", ImageAttention::prefillBlock, q, keys, values, positions, s.blockEnd, att, t,
                    lc.heads(), lc.kvHeads(), lc.headDim(), lc.window(), c.attentionScale(), c.attentionSoftcap());
        } else {
            g.task("attention", CachedAttention::decode, q, keys, values, positions, att, lc.heads(), lc.kvHeads(),
                    lc.headDim(), lc.window(), c.attentionScale(), c.attentionSoftcap());
        }
        b.flow("attention", List.of(q, keys, values, positions), List.of(att));
        DecoderGraphs.project(b, "o", lw.o(), att, xb2, t, tiled);
        g.task("postAttnNorm", Norm::rmsNorm, xb2, lw.postAttnNorm(), xb2, t, h, eps);
        b.flow("postAttnNorm", List.of(xb2, lw.postAttnNorm()), List.of(xb2));
        g.task("attnResidual", Elementwise::add, xb2, p.predictions, xb2, t * h);
        b.flow("attnResidual", List.of(xb2, p.predictions), List.of(xb2));
        g.task("attnLaurel", Elementwise::add, xb2, p.laurel, p.work, t * h);
        b.flow("attnLaurel", List.of(xb2, p.laurel), List.of(p.work));
        g.task("attnLaurelScale", Elementwise::scale, p.work, p.work, t * h, INV_SQRT2);
        b.flow("attnLaurelScale", List.of(p.work), List.of(p.work));

        g.task("ffnNorm", Norm::rmsNorm, p.work, ffn.norm(), xb, t, h, eps);
        b.flow("ffnNorm", List.of(p.work, ffn.norm()), List.of(xb));
        DecoderGraphs.project(b, "gate", ffn.gate(), xb, hb, t, tiled);
        DecoderGraphs.project(b, "up", ffn.up(), xb, hb2, t, tiled);
        if (a.sparse(i)) {
            g.task("gaussianTopK", Sparsity::gaussianTopK, hb, hb, t, ffn.width(), a.stdMultiplier(i));
            b.flow("gaussianTopK", List.of(hb), List.of(hb));
        }
        g.task("geglu", Activation::geglu, hb, hb2, hb, t * ffn.width());
        b.flow("geglu", List.of(hb, hb2), List.of(hb));
        DecoderGraphs.project(b, "down", ffn.down(), hb, xb2, t, tiled);
        g.task("postFfnNorm", Norm::rmsNorm, xb2, lw.postFfnNorm(), xb2, t, h, eps);
        b.flow("postFfnNorm", List.of(xb2, lw.postFfnNorm()), List.of(xb2));
        g.task("ffnResidual", Elementwise::add, xb2, p.work, x, t * h);
        b.flow("ffnResidual", List.of(xb2, p.work), List.of(x));

        router(b, "correctRouter", x, al, p, tiled);
        DecoderGraphs.project(b, "correctCoef", al.correctCoef(), p.modalities, p.correctCoefs, t, tiled);
        g.task("correct", AltUp::correct, p.predictions, x, p.correctCoefs, p.streams, n, 0, t, h);
        b.flow("correct", List.of(p.predictions, x, p.correctCoefs), List.of(p.streams));

        // the per-layer input enters through the corrected active stream, scaled, and goes to the others
        g.task("correctScale", Elementwise::mulSlice, p.streams, al.correctScale(), xb, t, h, 0, 0);
        b.flow("correctScale", List.of(p.streams, al.correctScale()), List.of(xb));
        base.perLayerTerm(b, i, lw.perLayerInput(), t, xb, xb2, gated, perLayer, tiled);
        g.task("perLayerStreams", AltUp::addToStreams, p.streams, xb2, 1, n, t, h);
        b.flow("perLayerStreams", List.of(p.streams, xb2), List.of(p.streams));

        if (i == c.layerCount() - 1) {
            for (int m = 1; m < n; m++) {
                g.task("unstack" + m, Elementwise::copy, p.streams, (long) m * t * h, p.streamIn, 0L, t * h);
                b.flow("unstack" + m, List.of(p.streams), List.of(p.streamIn));
                DecoderGraphs.project(b, "altupUnembd" + m, aw.streamUnprojections().get(m - 1), p.streamIn,
                        p.streamOut, t, tiled);
                g.task("match" + m, AltUp::matchMagnitude, p.streams, p.streamOut, p.streams, (long) m * t * h, t, h);
                b.flow("match" + m, List.of(p.streams, p.streamOut), List.of(p.streams));
            }
            g.task("merge", AltUp::mean, p.streams, x, n, t, h);
            b.flow("merge", List.of(p.streams), List.of(x));
        }
    }

    private static FeedForward.Dense dense(LayerWeights lw, int i) {
        if (lw.ffn() instanceof FeedForward.Dense d) {
            return d;
        }
        throw new IllegalArgumentException("layer " + i + ": AltUp layers have a dense feed-forward block");
    }

    /**
     * modalities = tanh(Wrouter (rmsNorm(in) / H)) for the phase's rows (llama.cpp
     * {@code altup_compute_router_modalities}).
     */
    private void router(Builder b, String task, FloatArray in, AltUpWeights.Layer al, Phase p, boolean tiled) {
        TaskGraph g = b.graph;
        int t = p.rows;
        int h = c.hidden();
        g.task(task + "Norm", Norm::rmsNorm, in, al.routerNorm(), p.router, t, h, c.rmsEps());
        b.flow(task + "Norm", List.of(in, al.routerNorm()), List.of(p.router));
        g.task(task + "Scale", Elementwise::scale, p.router, p.router, t * h, 1.0f / h);
        b.flow(task + "Scale", List.of(p.router), List.of(p.router));
        DecoderGraphs.project(b, task, al.router(), p.router, p.modalities, t, tiled);
        g.task(task + "Tanh", Softmax::softcap, p.modalities, p.modalities, t * a.streams(), 1.0f);
        b.flow(task + "Tanh", List.of(p.modalities), List.of(p.modalities));
    }

    private static TypedArray[] streamArrays(List<Weight> projections) {
        return projections.stream().map(Weight::array).toArray(TypedArray[]::new);
    }

    /**
     * The weights layer i reads: its decoder and AltUp weights (without the key and value projections
     * of a layer that reads an earlier layer's cache), the unembedding projections with the last layer.
     */
    private TypedArray[] layerArrays(int i) {
        List<TypedArray> all = new ArrayList<>();
        LayerWeights l = w.layers().get(i);
        List<Object> unused = c.ownsKv(i) ? List.of() : Arrays.asList(l.k(), l.v(), l.kNorm());
        for (Object o : l.tensors()) {
            if (unused.stream().noneMatch(u -> u == o)) {
                add(all, o);
            }
        }
        aw.layers().get(i).tensors().forEach(o -> add(all, o));
        if (i == c.layerCount() - 1) {
            all.addAll(Arrays.asList(streamArrays(aw.streamUnprojections())));
        }
        return all.toArray(TypedArray[]::new);
    }

    private static void add(List<TypedArray> all, Object o) {
        if (o instanceof Weight m) {
            all.add(m.array());
        } else if (o instanceof FloatArray f) {
            all.add(f);
        }
    }
}
