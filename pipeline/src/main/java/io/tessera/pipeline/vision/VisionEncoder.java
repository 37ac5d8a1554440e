package io.tessera.pipeline.vision;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tessera.media.FloatTensor;
import io.tessera.tasks.api.DataTransferMode;
import io.tessera.tasks.api.Device;
import io.tessera.tasks.api.ExecutionPlan;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.ImmutableTaskGraph;
import io.tessera.tasks.api.TaskGraph;
import io.tessera.tasks.api.TypedArray;
import io.tessera.tasks.kernels.Activation;
import io.tessera.tasks.kernels.Elementwise;
import io.tessera.tasks.kernels.ImageAttention;
import io.tessera.tasks.kernels.Norm;
import io.tessera.tasks.kernels.Patches;
import io.tessera.tasks.kernels.Pool;

/**
 * SigLIP and the Gemma 3 projector on task graphs (spec/MODELS.md §2.1-2.2), over a batch of
 * images at once. B = images in the batch, N = patches, T = soft tokens, D = width, F = MLP
 * width, E = projection width; every buffer is named, and any of them can be dumped by name
 * ({@link Options#dump}) after the graph that writes it:
 *
 * <pre>
 *   visionEmbed   inp_raw (B,3,S,S) --unfold--> patches (B*N, 3PP) --matMul, +bias, +positions--> inp_embd (B*N, D)
 *   visionLayerI  x = inp_embd or the previous block's out (B*N, D)
 *                 ln1 = LN(x); q, k, v = ln1 W + b; attn = softmax(q k^T / sqrt(hd)) v within each image
 *                 attn_out = attn Wo + b; attn_residual = x + attn_out
 *                 ln2 = LN(attn_residual); ffn_up = ln2 Wup + b; ffn_gelu = gelu(ffn_up)
 *                 ffn_down = ffn_gelu Wdown + b; out = attn_residual + ffn_down     (named blk.I.*)
 *   visionProject post_ln = LN(out); pooled = avgPool(post_ln as B*side x side x D, merge) (B*T, D)
 *                 soft_emb_norm = RMSNorm(pooled) * w; mm_proj = soft_emb_norm Wproj^T (B*T, E) -> host
 * </pre>
 *
 * All graphs of a batch size run in one execution plan, so activations stay on the device from
 * graph to graph and weights are copied there once, by the first graph that reads them. A batch
 * smaller than {@link Options#batch} (the last one of a video) gets its own plan.
 */
public final class VisionEncoder implements AutoCloseable {
    /**
     * @param batch images per encoder pass
     * @param dump  names of the buffers to copy to the host ({@code "*"}: all), see the class doc
     */
    public record Options(int batch, Set<String> dump) {
        public Options {
            if (batch <= 0) {
                throw new IllegalArgumentException("the batch must hold at least one image, not " + batch);
            }
            dump = Set.copyOf(dump);
        }

        public static Options batch(int batch) {
            return new Options(batch, Set.of());
        }

        boolean dumps(String name) {
            return dump.contains("*") || dump.contains(name);
        }
    }

    private final VisionConfig c;
    private final VisionWeights w;
    private final Device device;
    private final Options options;
    private final Map<Integer, Runner> runners = new HashMap<>();
    private final Map<String, FloatTensor> dumped = new LinkedHashMap<>();

    public VisionEncoder(Mmproj mmproj, Device device, Options options) {
        this(mmproj.config(), mmproj.weights(), device, options);
    }

    /** An encoder for weights from elsewhere than an mmproj file (a Hugging Face directory). */
    public VisionEncoder(VisionConfig config, VisionWeights weights, Device device, Options options) {
        this.c = config;
        this.w = weights;
        this.device = device;
        this.options = options;
    }

    public VisionConfig config() {
        return c;
    }

    public Device device() {
        return device;
    }

    /**
     * Encodes preprocessed images, each [3][S][S] normalised as the mmproj says, batch by batch;
     * returns one (T, E) row-major array of soft-token embeddings per image, in order.
     */
    public List<float[]> encode(List<FloatTensor> images) {
        int pixels = c.pixelValues();
        for (int i = 0; i < images.size(); i++) {
            FloatTensor t = images.get(i);
            int[] shape = t.shape();
            if (shape.length != 3 || shape[0] != 3 || shape[1] != c.imageSize() || shape[2] != c.imageSize()) {
                throw new IllegalArgumentException("image " + i + " has shape " + t.shapeString() + ", the encoder takes [3, "
                        + c.imageSize() + ", " + c.imageSize() + "]");
            }
        }
        dumped.clear();
        List<float[]> out = new ArrayList<>();
        int rows = c.softTokens() * c.projectionDim();
        for (int start = 0; start < images.size(); start += options.batch()) {
            int n = Math.min(options.batch(), images.size() - start);
            Runner r = runners.computeIfAbsent(n, Runner::new);
            for (int i = 0; i < n; i++) {
                MemorySegment.copy(images.get(start + i).data(), 0, r.pixels.segment(), ValueLayout.JAVA_FLOAT_UNALIGNED,
                        4L * i * pixels, pixels);
            }
            r.run();
            for (int i = 0; i < n; i++) {
                float[] e = new float[rows];
                MemorySegment.copy(r.out.segment(), ValueLayout.JAVA_FLOAT_UNALIGNED, 4L * i * rows, e, 0, rows);
                out.add(e);
            }
        }
        return out;
    }

    /** The buffers named in {@link Options#dump} as the last batch left them, by name, in graph order. */
    public Map<String, FloatTensor> dumped() {
        return Map.copyOf(dumped);
    }

    /** The task graphs of a full batch, each as its own description. */
    public List<String> describe() {
        return runners.computeIfAbsent(options.batch(), Runner::new).graphs.stream()
                .map(ImmutableTaskGraph::describe).toList();
    }

    @Override
    public void close() {
        runners.values().forEach(Runner::close);
        runners.clear();
    }

    /** The buffers and plan of one batch size (llama2.c's {@code RunState}). */
    private final class Runner implements AutoCloseable {
        final int n;
        final Arena arena = Arena.ofShared();
        final FloatArray pixels;   // (n, 3, S, S) inp_raw
        final FloatArray patches;  // (n*N, 3PP)
        final FloatArray x;        // (n*N, D) residual stream: inp_embd, then each block's out
        final FloatArray ln1;      // (n*N, D)
        final FloatArray q;        // (n*N, D)
        final FloatArray k;        // (n*N, D)
        final FloatArray v;        // (n*N, D)
        final FloatArray attn;     // (n*N, D)
        final FloatArray attnOut;  // (n*N, D)
        final FloatArray mid;      // (n*N, D) attn_residual
        final FloatArray ln2;      // (n*N, D)
        final FloatArray up;       // (n*N, F)
        final FloatArray act;      // (n*N, F)
        final FloatArray down;     // (n*N, D)
        final FloatArray postLn;   // (n*N, D)
        final FloatArray pooled;   // (n*T, D)
        final FloatArray normed;   // (n*T, D)
        final FloatArray out;      // (n*T, E)
        final List<ImmutableTaskGraph> graphs = new ArrayList<>();
        /** Per graph: the buffers it dumps, by name. */
        final List<Map<String, FloatArray>> dumps = new ArrayList<>();
        final Map<FloatArray, int[]> shapes = new HashMap<>();
        final ExecutionPlan plan;

        Runner(int n) {
            this.n = n;
            long rows = (long) n * c.patches();
            long tokens = (long) n * c.softTokens();
            int d = c.hidden();
            pixels = alloc((long) n * c.pixelValues(), n, 3, c.imageSize(), c.imageSize());
            patches = alloc(rows * c.patchValues(), n, c.patches(), c.patchValues());
            x = alloc(rows * d, n, c.patches(), d);
            ln1 = alloc(rows * d, n, c.patches(), d);
            q = alloc(rows * d, n, c.patches(), d);
            k = alloc(rows * d, n, c.patches(), d);
            v = alloc(rows * d, n, c.patches(), d);
            attn = alloc(rows * d, n, c.patches(), d);
            attnOut = alloc(rows * d, n, c.patches(), d);
            mid = alloc(rows * d, n, c.patches(), d);
            ln2 = alloc(rows * d, n, c.patches(), d);
            up = alloc(rows * c.ffn(), n, c.patches(), c.ffn());
            act = alloc(rows * c.ffn(), n, c.patches(), c.ffn());
            down = alloc(rows * d, n, c.patches(), d);
            postLn = alloc(rows * d, n, c.patches(), d);
            pooled = alloc(tokens * d, n, c.softTokens(), d);
            normed = alloc(tokens * d, n, c.softTokens(), d);
            out = alloc(tokens * c.projectionDim(), n, c.softTokens(), c.projectionDim());
            embedGraph();
            for (int i = 0; i < c.layers(); i++) {
                layerGraph(i);
            }
            projectGraph();
            plan = new ExecutionPlan(graphs.toArray(ImmutableTaskGraph[]::new)).withDevice(device);
        }

        private FloatArray alloc(long length, int... shape) {
            FloatArray a = FloatArray.allocate(arena, length);
            shapes.put(a, shape);
            return a;
        }

        private void finish(TaskGraph g, Map<String, FloatArray> named) {
            Map<String, FloatArray> dump = new LinkedHashMap<>();
            named.forEach((name, a) -> {
                if (options.dumps(name) && a != null && dump.values().stream().noneMatch(b -> b == a)) {
                    dump.put(name, a);
                }
            });
            if (!dump.isEmpty()) {
                g.transferToHost(DataTransferMode.EVERY_EXECUTION,
                        dump.values().stream().filter(a -> a != out).toArray(TypedArray[]::new));
            }
            dumps.add(dump);
            graphs.add(g.snapshot());
        }

        private void embedGraph() {
            int rows = n * c.patches();
            TaskGraph g = new TaskGraph("visionEmbed");
            g.transferToDevice(DataTransferMode.EVERY_EXECUTION, pixels);
            g.transferToDevice(DataTransferMode.FIRST_EXECUTION, nonNull(w.patchEmbedding().array(), w.patchBias(),
                    w.positions()));
            g.task("unfold", Patches::unfold, pixels, patches, n, 3, c.imageSize(), c.imageSize(), c.patchSize());
            w.patchEmbedding().matMul(g, "patchEmbed", patches, x, rows);
            if (w.patchBias() != null) {
                g.task("patchBias", Elementwise::addBias, x, w.patchBias(), x, rows, c.hidden());
            }
            g.task("positions", Elementwise::addBias, x, w.positions(), x, n, c.patches() * c.hidden());
            Map<String, FloatArray> named = new LinkedHashMap<>();
            named.put("inp_raw", pixels);
            named.put("patches", patches);
            named.put("inp_embd", x);
            finish(g, named);
        }

        private void layerGraph(int i) {
            VisionLayerWeights l = w.layers().get(i);
            int rows = n * c.patches();
            int d = c.hidden();
            float eps = c.eps();
            TaskGraph g = new TaskGraph("visionLayer" + i);
            g.consumeFromDevice(x);
            g.transferToDevice(DataTransferMode.FIRST_EXECUTION, VisionWeights.layerArrays(l).toArray(TypedArray[]::new));
            g.task("ln1", Norm::layerNorm, x, l.ln1Weight(), l.ln1Bias(), ln1, rows, d, eps);
            linear(g, "q", l.q(), l.qBias(), ln1, q, rows);
            linear(g, "k", l.k(), l.kBias(), ln1, k, rows);
            linear(g, "v", l.v(), l.vBias(), ln1, v, rows);
            g.task("attention", ImageAttention::encoder, q, k, v, attn, n, c.patches(), c.heads(), c.headDim(),
                    c.attentionScale());
            linear(g, "attnOut", l.out(), l.outBias(), attn, attnOut, rows);
            g.task("attnResidual", Elementwise::add, x, attnOut, mid, rows * d);
            g.task("ln2", Norm::layerNorm, mid, l.ln2Weight(), l.ln2Bias(), ln2, rows, d, eps);
            linear(g, "ffnUp", l.up(), l.upBias(), ln2, up, rows);
            g.task("gelu", Activation::geluTanh, up, act, rows * c.ffn());
            linear(g, "ffnDown", l.down(), l.downBias(), act, down, rows);
            g.task("ffnResidual", Elementwise::add, mid, down, x, rows * d);
            String p = "blk." + i + ".";
            Map<String, FloatArray> named = new LinkedHashMap<>();
            named.put(p + "ln1", ln1);
            named.put(p + "q", q);
            named.put(p + "k", k);
            named.put(p + "v", v);
            named.put(p + "attn", attn);
            named.put(p + "attn_out", attnOut);
            named.put(p + "attn_residual", mid);
            named.put(p + "ln2", ln2);
            named.put(p + "ffn_up", up);
            named.put(p + "ffn_gelu", act);
            named.put(p + "ffn_down", down);
            named.put(p + "out", x);
            finish(g, named);
        }

        private void projectGraph() {
            int rows = n * c.patches();
            int tokens = n * c.softTokens();
            int d = c.hidden();
            TaskGraph g = new TaskGraph("visionProject");
            g.consumeFromDevice(x);
            g.transferToDevice(DataTransferMode.FIRST_EXECUTION, nonNull(w.postLnWeight(), w.postLnBias(),
                    w.softEmbNorm(), w.inputProjection().array()));
            FloatArray encoded = x;
            if (w.postLnWeight() != null) {
                FloatArray bias = w.postLnBias();
                if (bias == null) {
                    bias = FloatArray.allocate(arena, d);
                    g.transferToDevice(DataTransferMode.FIRST_EXECUTION, bias);
                }
                g.task("postLn", Norm::layerNorm, x, w.postLnWeight(), bias, postLn, rows, d, c.eps());
                encoded = postLn;
            }
            // pooling, the norm and the projection bias are each there only when the projector has them
            // (Gemma 3: pool, norm, no bias; PaliGemma: bias only, spec/MODELS.md §3)
            FloatArray tokensIn = encoded;
            if (c.merge() > 1) {
                // the n images stacked are one (n * side) x side grid; pooling windows never straddle two images
                g.task("pool", Pool::avgPool2dHwc, encoded, pooled, d, n * c.patchesPerSide(), c.patchesPerSide(),
                        c.merge(), c.merge());
                tokensIn = pooled;
            }
            FloatArray projected = tokensIn;
            if (w.softEmbNorm() != null) {
                g.task("softEmbNorm", Norm::rmsNorm, tokensIn, w.softEmbNorm(), normed, tokens, d, c.eps());
                projected = normed;
            }
            w.inputProjection().matMul(g, "inputProjection", projected, out, tokens);
            if (w.inputProjectionBias() != null) {
                g.transferToDevice(DataTransferMode.FIRST_EXECUTION, w.inputProjectionBias());
                g.task("inputProjectionBias", Elementwise::addBias, out, w.inputProjectionBias(), out, tokens,
                        c.projectionDim());
            }
            g.transferToHost(DataTransferMode.EVERY_EXECUTION, out);
            Map<String, FloatArray> named = new LinkedHashMap<>();
            named.put("post_ln", encoded == postLn ? postLn : null);
            named.put("pooled", tokensIn == pooled ? pooled : null);
            named.put("soft_emb_norm", projected == normed ? normed : null);
            named.put("mm_proj", out);
            finish(g, named);
        }

        /** y = W x (+ b). */
        private void linear(TaskGraph g, String task, io.tessera.pipeline.model.Weight weight, FloatArray bias,
                            FloatArray in, FloatArray y, int rows) {
            weight.matMul(g, task, in, y, rows);
            if (bias != null) {
                g.task(task + "Bias", Elementwise::addBias, y, bias, y, rows, weight.rows());
            }
        }

        void run() {
            for (int i = 0; i < graphs.size(); i++) {
                plan.withGraph(i).execute();
                dumps.get(i).forEach((name, a) -> dumped.put(name, new FloatTensor(shapes.get(a), a.toArray())));
            }
        }

        @Override
        public void close() {
            plan.close();
            arena.close();
        }
    }

    private static TypedArray[] nonNull(TypedArray... arrays) {
        return java.util.Arrays.stream(arrays).filter(java.util.Objects::nonNull).toArray(TypedArray[]::new);
    }
}
