package io.tessera.pipeline.generate;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import io.tessera.pipeline.model.AltUpConfig;
import io.tessera.pipeline.model.AltUpWeights;
import io.tessera.pipeline.model.Model;
import io.tessera.pipeline.model.ModelConfig;
import io.tessera.pipeline.model.ModelWeights;
import io.tessera.tasks.api.Device;
import io.tessera.tasks.api.ExecutionPlan;
import io.tessera.tasks.api.ImmutableTaskGraph;
import io.tessera.tasks.api.TaskSpec;
import io.tessera.tasks.api.TypedArray;

/**
 * Runs a model's task graphs ({@link DecoderGraphs}) on one device through one execution plan:
 * prompts in tiles of {@link #tile()} tokens, then one token at a time, with the KV cache on the
 * device. Not thread-safe; one sequence at a time.
 */
public final class Decoder implements AutoCloseable {
    /**
     * @param contextLength positions the KV cache holds
     * @param tile          prompt tokens per prefill tile
     * @param allLogits     whether prompts may ask for the logits of every position ({@link #prefillAll})
     */
    public record Options(int contextLength, int tile, boolean allLogits) {
        public Options {
            if (contextLength <= 0 || tile <= 0) {
                throw new IllegalArgumentException("context length " + contextLength + " and tile " + tile
                        + " must be positive");
            }
        }
    }

    private final ModelConfig config;
    private final Options options;
    private final Device device;
    private final Arena arena = Arena.ofShared();
    private final RunState state;
    private final ExecutionPlan plan;
    private final List<String> diagrams = new ArrayList<>();
    private final Map<TypedArray, String> names = GraphDiagram.registry();
    private final int prefillEmbed;
    private final int prefillInput;
    private final int prefillLayers;
    private final int prefillLogits;
    private final int prefillLast;
    private final int decodeEmbed;
    private final int decodeLayers;
    private final int decodeLogits;
    private final long deviceBytes;
    private int position;
    private boolean prefilled;

    public Decoder(Model model, Device device, Options options) {
        this(model.config(), model.weights(), model.altUp().orElse(null), model.altUpWeights(), device, options);
    }

    /** A decoder for weights from elsewhere than a GGUF model file (a Hugging Face directory). */
    public Decoder(ModelConfig config, ModelWeights weights, Device device, Options options) {
        this(config, weights, null, null, device, options);
    }

    /** {@code altUp} and {@code altUpWeights}: the AltUp streams of Gemma 3n, or null for a single stream. */
    private Decoder(ModelConfig config, ModelWeights weights, AltUpConfig altUp, AltUpWeights altUpWeights,
                    Device device, Options options) {
        this.config = config;
        this.options = options;
        this.device = device;
        int tile = Math.min(options.tile(), options.contextLength());
        this.state = new RunState(config, tile, options.contextLength(), options.allLogits(), arena, names);
        DecoderGraphs builder = new DecoderGraphs(config, weights, state, names);
        DecoderStages stages = altUp == null ? builder
                : new AltUpGraphs(config, weights, altUp, altUpWeights, state, builder, arena, names);
        List<DecoderGraphs.Built> built = new ArrayList<>();
        prefillEmbed = add(built, stages.prefillEmbed());
        prefillInput = add(built, stages.prefillInput());
        prefillLayers = built.size();
        for (int i = 0; i < config.layerCount(); i++) {
            add(built, stages.prefillLayer(i));
        }
        prefillLogits = options.allLogits() ? add(built, builder.prefillLogits()) : -1;
        prefillLast = add(built, builder.prefillLast());
        decodeEmbed = add(built, stages.decodeEmbed());
        decodeLayers = built.size();
        for (int i = 0; i < config.layerCount(); i++) {
            add(built, stages.decodeLayer(i));
        }
        decodeLogits = add(built, builder.decodeLogits());
        ImmutableTaskGraph[] graphs = built.stream().map(DecoderGraphs.Built::graph).toArray(ImmutableTaskGraph[]::new);
        built.forEach(b -> diagrams.add(b.diagram()));
        Map<TypedArray, Boolean> used = new IdentityHashMap<>();
        for (ImmutableTaskGraph g : graphs) {
            for (TaskSpec t : g.tasks()) {
                t.arguments().stream().filter(a -> a instanceof TypedArray)
                        .forEach(a -> used.put((TypedArray) a, true));
            }
        }
        deviceBytes = used.keySet().stream().mapToLong(TypedArray::byteSize).sum();
        this.plan = new ExecutionPlan(graphs).withDevice(device);
    }

    private static int add(List<DecoderGraphs.Built> list, DecoderGraphs.Built b) {
        list.add(b);
        return list.size() - 1;
    }

    public ModelConfig config() {
        return config;
    }

    /** The device every graph of this decoder runs on. */
    public Device device() {
        return device;
    }

    /** Prompt tokens per prefill tile. */
    public int tile() {
        return state.tile;
    }

    public int contextLength() {
        return options.contextLength();
    }

    /** Positions used so far. */
    public int position() {
        return position;
    }

    /** Bytes of every buffer the graphs use on the device: weights, activations, KV cache. */
    public long deviceBytes() {
        return deviceBytes;
    }

    /** The ASCII dataflow diagram of every graph, in plan order. */
    public List<String> diagrams() {
        return List.copyOf(diagrams);
    }

    /** Forgets the sequence; the next prompt starts at position 0. */
    public void reset() {
        position = 0;
    }

    /** Appends {@code ids} to the sequence and returns the logits after its last token: [vocab]. */
    public float[] prefill(int[] ids) {
        run(ids, null);
        return state.logits.toArray();
    }

    /** Appends {@code ids} to the sequence and returns the logits after each of them: [ids][vocab]. */
    public float[][] prefillAll(int[] ids) {
        if (!options.allLogits()) {
            throw new IllegalStateException("this decoder was built without the logits of every position");
        }
        float[][] out = new float[ids.length][];
        run(ids, out);
        return out;
    }

    /**
     * Appends {@code count} rows of embeddings ({@code rows}: [count][hidden], used as they are, not
     * scaled) and returns the logits after the last: [vocab]. With {@code bidirectional} the rows are
     * one image block whose positions see each other in both directions (Gemma 3); they must fit in
     * one prefill tile.
     */
    public float[] prefillEmbeddings(float[] rows, int count, boolean bidirectional) {
        int hidden = config.hidden();
        if (count <= 0 || rows.length != count * hidden) {
            throw new IllegalArgumentException(rows.length + " values are not " + count + " rows of width " + hidden);
        }
        if (count > state.tile) {
            throw new PromptException("a block of " + count + " embeddings does not fit in a prefill tile of "
                    + state.tile + " positions (use a tile of at least " + count + ")");
        }
        checkFits(count);
        java.lang.foreign.MemorySegment.copy(rows, 0, state.tileInput.segment(),
                java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, 0, rows.length);
        for (int t = 0; t < state.tile; t++) {
            if (t >= count) {
                for (int j = 0; j < hidden; j++) {
                    state.tileInput.set((long) t * hidden + j, 0f);
                }
            }
            state.tilePositions.set(t, position + t);
            // rows from the host have no token; per-layer inputs (Gemma 4) take token 0's
            state.tileTokens.set(t, 0);
        }
        state.blockEnd.set(0, bidirectional ? position + count : 0);
        plan.withGraph(prefillInput).execute();
        for (int i = 0; i < config.layerCount(); i++) {
            plan.withGraph(prefillLayers + i).execute();
        }
        position += count;
        prefilled = true;
        state.lastRow.set(0, count - 1);
        plan.withGraph(prefillLast).execute();
        plan.withGraph(decodeLogits).execute();
        return state.logits.toArray();
    }

    /** Appends one token and returns the logits after it: [vocab]. */
    public float[] decode(int id) {
        if (!prefilled) {
            throw new IllegalStateException("decode before any prompt: prefill the sequence first");
        }
        checkFits(1);
        checkToken(id, 0);
        state.token.set(0, id);
        state.position.set(0, position);
        plan.withGraph(decodeEmbed).execute();
        for (int i = 0; i < config.layerCount(); i++) {
            plan.withGraph(decodeLayers + i).execute();
        }
        plan.withGraph(decodeLogits).execute();
        position++;
        return state.logits.toArray();
    }

    private void run(int[] ids, float[][] allLogits) {
        if (ids.length == 0) {
            throw new PromptException("the prompt is empty");
        }
        checkFits(ids.length);
        for (int i = 0; i < ids.length; i++) {
            checkToken(ids[i], i);
        }
        int tile = state.tile;
        int vocab = config.vocab();
        state.blockEnd.set(0, 0);
        for (int start = 0; start < ids.length; start += tile) {
            int count = Math.min(tile, ids.length - start);
            for (int t = 0; t < tile; t++) {
                // padding rows of a last, partial tile: token 0 at the following positions, whose cache
                // rows are overwritten before any real query reads them
                state.tileTokens.set(t, t < count ? ids[start + t] : 0);
                state.tilePositions.set(t, position + t);
            }
            plan.withGraph(prefillEmbed).execute();
            for (int i = 0; i < config.layerCount(); i++) {
                plan.withGraph(prefillLayers + i).execute();
            }
            if (allLogits != null) {
                plan.withGraph(prefillLogits).execute();
                for (int t = 0; t < count; t++) {
                    float[] row = new float[vocab];
                    java.lang.foreign.MemorySegment.copy(state.tileLogits.segment(),
                            java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, 4L * t * vocab, row, 0, vocab);
                    allLogits[start + t] = row;
                }
            }
            position += count;
            prefilled = true;
            if (start + count == ids.length && allLogits == null) {
                state.lastRow.set(0, count - 1);
                plan.withGraph(prefillLast).execute();
                plan.withGraph(decodeLogits).execute();
            }
        }
    }

    private void checkFits(int tokens) {
        if (position + tokens > options.contextLength()) {
            throw new PromptException((position == 0 ? "a prompt of " + tokens + " tokens"
                    : tokens + " more tokens after " + position) + " do not fit in the context of "
                    + options.contextLength() + " tokens");
        }
    }

    private void checkToken(int id, int index) {
        if (id < 0 || id >= config.vocab()) {
            throw new PromptException("token id " + id + " at prompt position " + index
                    + " is outside the vocabulary of " + config.vocab() + " tokens");
        }
    }

    @Override
    public void close() {
        plan.close();
        arena.close();
    }
}
