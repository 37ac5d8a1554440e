package io.tessera.pipeline.generate;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tessera.pipeline.model.ModelConfig;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.IntArray;
import io.tessera.tasks.api.TypedArray;

/**
 * What a decoder is doing now (llama2.c's {@code RunState}): the activation buffers of one
 * prefill tile and of one decode step, the KV cache, and the small host-written inputs (token
 * ids, positions). Everything except the inputs and the logits stays on the device between graphs.
 * Buffers are allocated once, off-heap, in the decoder's arena.
 */
final class RunState {
    final int tile;
    final int contextLength;
    /** Cache rows: the context plus one tile, so that the padding rows of a last, partial tile stay in bounds. */
    final int cachePositions;

    // prefill tile of `tile` tokens
    final IntArray tileTokens;    // (tile)
    final IntArray tilePositions; // (tile)
    final FloatArray x;           // (tile, hidden) residual stream
    final FloatArray xb;          // (tile, hidden) normed input of a block
    final FloatArray xb2;         // (tile, hidden) output of a block
    final FloatArray q;           // (tile, heads * headDim), the widest layer's
    final FloatArray k;           // (tile, kvHeads * headDim), the widest layer's
    final FloatArray v;           // (tile, kvHeads * headDim), the widest layer's
    final FloatArray att;         // (tile, heads * headDim) attention output
    final FloatArray hb;          // (tile, ffn) gate, then gelu(gate) * up
    final FloatArray hb2;         // (tile, ffn) up
    final FloatArray perLayer;    // (tile, layers, perLayerInput) per-layer inputs, null without them
    final FloatArray perLayerEmb; // (tile, layers, perLayerInput) their token-embedding part
    final FloatArray pl;          // (tile, perLayerInput) a layer's gated per-layer input
    final FloatArray tileLogits;  // (tile, vocab), only when every position's logits are wanted
    final IntArray lastRow;       // (1) row of the tile whose logits a prompt ends with
    final IntArray blockEnd;      // (1) end of the image block a tile holds (bidirectional), 0 for text
    final FloatArray tileInput;   // (tile, hidden) embeddings from the host: image soft tokens

    // one decode token
    final IntArray token;         // (1)
    final IntArray position;      // (1)
    final FloatArray dx;          // (hidden)
    final FloatArray dxb;         // (hidden)
    final FloatArray dxb2;        // (hidden)
    final FloatArray dq;          // (heads * headDim)
    final FloatArray dk;          // (kvHeads * headDim)
    final FloatArray dv;          // (kvHeads * headDim)
    final FloatArray datt;        // (heads * headDim)
    final FloatArray dhb;         // (ffn)
    final FloatArray dhb2;        // (ffn)
    final FloatArray dPerLayer;   // (layers, perLayerInput)
    final FloatArray dPerLayerEmb; // (layers, perLayerInput)
    final FloatArray dpl;         // (perLayerInput)
    final FloatArray logits;      // (vocab)

    /** (layer)(cachePositions, kvHeads * headDim); a layer that shares an earlier layer's cache has that array. */
    final List<FloatArray> keyCache;
    /** (layer)(cachePositions, kvHeads * headDim), as {@link #keyCache}. */
    final List<FloatArray> valueCache;

    RunState(ModelConfig c, int tile, int contextLength, boolean allLogits, Arena arena,
             Map<TypedArray, String> names) {
        this.tile = tile;
        this.contextLength = contextLength;
        this.cachePositions = contextLength + tile;
        long t = tile;
        tileTokens = named(names, "tokens", IntArray.allocate(arena, t));
        tilePositions = named(names, "positions", IntArray.allocate(arena, t));
        x = named(names, "x", FloatArray.allocate(arena, t * c.hidden()));
        xb = named(names, "xb", FloatArray.allocate(arena, t * c.hidden()));
        xb2 = named(names, "xb2", FloatArray.allocate(arena, t * c.hidden()));
        q = named(names, "q", FloatArray.allocate(arena, t * c.maxQDim()));
        k = named(names, "k", FloatArray.allocate(arena, t * c.maxKvDim()));
        v = named(names, "v", FloatArray.allocate(arena, t * c.maxKvDim()));
        att = named(names, "att", FloatArray.allocate(arena, t * c.maxQDim()));
        hb = named(names, "hb", FloatArray.allocate(arena, t * c.maxFfn()));
        hb2 = named(names, "hb2", FloatArray.allocate(arena, t * c.maxFfn()));
        long perLayerWidth = (long) c.layerCount() * c.perLayerInput();
        boolean pli = c.perLayerInput() > 0;
        perLayer = pli ? named(names, "perLayer", FloatArray.allocate(arena, t * perLayerWidth)) : null;
        perLayerEmb = pli ? named(names, "perLayerEmb", FloatArray.allocate(arena, t * perLayerWidth)) : null;
        pl = pli ? named(names, "pl", FloatArray.allocate(arena, t * c.perLayerInput())) : null;
        dPerLayer = pli ? named(names, "dPerLayer", FloatArray.allocate(arena, perLayerWidth)) : null;
        dPerLayerEmb = pli ? named(names, "dPerLayerEmb", FloatArray.allocate(arena, perLayerWidth)) : null;
        dpl = pli ? named(names, "dpl", FloatArray.allocate(arena, c.perLayerInput())) : null;
        tileLogits = allLogits ? named(names, "tileLogits", FloatArray.allocate(arena, t * c.vocab())) : null;
        lastRow = named(names, "lastRow", IntArray.allocate(arena, 1));
        blockEnd = named(names, "blockEnd", IntArray.allocate(arena, 1));
        tileInput = named(names, "tileInput", FloatArray.allocate(arena, t * c.hidden()));

        token = named(names, "token", IntArray.allocate(arena, 1));
        position = named(names, "position", IntArray.allocate(arena, 1));
        dx = named(names, "dx", FloatArray.allocate(arena, c.hidden()));
        dxb = named(names, "dxb", FloatArray.allocate(arena, c.hidden()));
        dxb2 = named(names, "dxb2", FloatArray.allocate(arena, c.hidden()));
        dq = named(names, "dq", FloatArray.allocate(arena, c.maxQDim()));
        dk = named(names, "dk", FloatArray.allocate(arena, c.maxKvDim()));
        dv = named(names, "dv", FloatArray.allocate(arena, c.maxKvDim()));
        datt = named(names, "datt", FloatArray.allocate(arena, c.maxQDim()));
        dhb = named(names, "dhb", FloatArray.allocate(arena, c.maxFfn()));
        dhb2 = named(names, "dhb2", FloatArray.allocate(arena, c.maxFfn()));
        logits = named(names, "logits", FloatArray.allocate(arena, c.vocab()));

        keyCache = new ArrayList<>();
        valueCache = new ArrayList<>();
        for (int l = 0; l < c.layerCount(); l++) {
            if (!c.ownsKv(l)) {
                keyCache.add(keyCache.get(c.layer(l).kvLayer()));
                valueCache.add(valueCache.get(c.layer(l).kvLayer()));
                continue;
            }
            long size = (long) cachePositions * c.layer(l).kvDim();
            keyCache.add(named(names, "keyCache" + l, FloatArray.allocate(arena, size)));
            valueCache.add(named(names, "valueCache" + l, FloatArray.allocate(arena, size)));
        }
    }

    private static <T extends TypedArray> T named(Map<TypedArray, String> names, String name, T array) {
        names.put(array, name);
        return array;
    }
}
