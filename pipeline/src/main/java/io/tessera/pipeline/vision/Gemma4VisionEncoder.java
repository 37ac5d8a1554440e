package io.tessera.pipeline.vision;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.tessera.media.FloatTensor;
import io.tessera.pipeline.model.ClippedLinear;
import io.tessera.tasks.api.DataTransferMode;
import io.tessera.tasks.api.Device;
import io.tessera.tasks.api.ExecutionPlan;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.ImmutableTaskGraph;
import io.tessera.tasks.api.TaskGraph;
import io.tessera.tasks.api.TypedArray;
import io.tessera.tasks.kernels.Activation;
import io.tessera.tasks.kernels.Elementwise;
import io.tessera.tasks.kernels.Embedding;
import io.tessera.tasks.kernels.ImageAttention;
import io.tessera.tasks.kernels.Norm;
import io.tessera.tasks.kernels.Patches;
import io.tessera.tasks.kernels.Pool;
import io.tessera.tasks.kernels.Rope;

/**
 * The Gemma 4 vision projectors on task graphs (spec/MODELS.md §4.2; llama.cpp
 * {@code models/gemma4v.cpp}, {@code gemma4uv.cpp}), over images of any size whose sides are
 * multiples of {@link Gemma4VisionConfig#unit()}. Consecutive images of the same size are encoded
 * as one batch (up to {@link VisionEncoder.Options#batch}); each size has its own buffers and plan.
 * B = images in the batch, N = patches per image over C columns, T = N / pool² soft tokens,
 * D = width, F = MLP width, E = projection width:
 *
 * <pre>
 *   gemma4v
 *   visionEmbed   inp_raw (B,3,H,W) --2x-1--> inp_raw_scaled --unfold--> patches (B*N, 3PP)
 *                 --matMul (no bias)--> inp (B*N, D) --+ x table[col] + y table[row]--> pos_embd
 *   visionLayerI  ln1 = RMS(x) w; q, k, v = clip(ln1) W, clipped; q, k = RMS per head * w_norm;
 *                 q, k = rope2d (columns on the first half of each head, rows on the second, base 100);
 *                 v = RMS per head; attn = softmax(q k^T) v (scale 1) within each image;
 *                 attn_out = clip(attn Wo); attn_post_norm = RMS(attn_out) w; mid = x + that;
 *                 ln2 = RMS(mid) w; ffn = down(gelu(gate ln2) * up ln2), clipped; ffn_post_norm = RMS(ffn) w;
 *                 out = (mid + ffn_post_norm) * out_scale                          (named blk.I.*)
 *   visionProject pooled = avgPool 3x3 (out) * sqrt(D) (B*T, D); [std_scaled = (pooled - b) s];
 *                 normed = RMS(pooled); mm_proj = clip(normed) Wproj, clipped (B*T, E) -> host
 *
 *   gemma4uv
 *   visionEmbed   inp_raw (B,3,H,W) --unfold 48--> patches --LN1--> patch_norm1 --matMul + b--> inp
 *                 --LN2--> patch_norm2 --+ tables--> pos_embd --LN3--> pos_norm (B*N, D)
 *   visionProject normed = RMS(pos_norm); mm_proj = normed Wproj (B*N, E) -> host
 * </pre>
 */
public final class Gemma4VisionEncoder implements AutoCloseable {
    private final Gemma4VisionConfig c;
    private final Gemma4VisionWeights w;
    private final Device device;
    private final VisionEncoder.Options options;
    private final Map<List<Integer>, Runner> runners = new HashMap<>();
    private final Map<String, FloatTensor> dumped = new LinkedHashMap<>();

    public Gemma4VisionEncoder(Gemma4VisionConfig config, Gemma4VisionWeights weights, Device device,
                               VisionEncoder.Options options) {
        this.c = config;
        this.w = weights;
        this.device = device;
        this.options = options;
    }

    public Gemma4VisionConfig config() {
        return c;
    }

    public Device device() {
        return device;
    }

    /**
     * Encodes preprocessed images, each [3][H][W] normalised as the mmproj says with H and W
     * multiples of the unit; returns one (T, E) row-major array of soft-token embeddings per image.
     */
    public List<float[]> encode(List<FloatTensor> images) {
        int unit = c.unit();
        for (int i = 0; i < images.size(); i++) {
            int[] shape = images.get(i).shape();
            if (shape.length != 3 || shape[0] != 3 || shape[1] % unit != 0 || shape[2] % unit != 0 || shape[1] == 0
                    || shape[2] == 0) {
                throw new IllegalArgumentException("image " + i + " has shape " + images.get(i).shapeString()
                        + ", the encoder takes [3, H, W] with H and W positive multiples of " + unit);
            }
            int longest = Math.max(shape[1], shape[2]) / c.encoderPatch();
            if (longest > w.positionRows()) {
                throw new IllegalArgumentException("image " + i + " is " + longest + " patches long; the position"
                        + " tables of this mmproj cover " + w.positionRows());
            }
        }
        dumped.clear();
        List<float[]> out = new ArrayList<>();
        int start = 0;
        while (start < images.size()) {
            int[] shape = images.get(start).shape();
            int n = 1;
            while (n < options.batch() && start + n < images.size()
                    && Arrays.equals(images.get(start + n).shape(), shape)) {
                n++;
            }
            Runner r = runners.computeIfAbsent(List.of(n, shape[1], shape[2]), k -> new Runner(k.get(0), k.get(1),
                    k.get(2)));
            int pixels = 3 * shape[1] * shape[2];
            for (int i = 0; i < n; i++) {
                MemorySegment.copy(images.get(start + i).data(), 0, r.pixels.segment(),
                        ValueLayout.JAVA_FLOAT_UNALIGNED, 4L * i * pixels, pixels);
            }
            r.run();
            int values = r.tokens * c.projectionDim();
            for (int i = 0; i < n; i++) {
                float[] e = new float[values];
                MemorySegment.copy(r.out.segment(), ValueLayout.JAVA_FLOAT_UNALIGNED, 4L * i * values, e, 0, values);
                out.add(e);
            }
            start += n;
        }
        return out;
    }

    /** The buffers named in {@link VisionEncoder.Options#dump} as the last batch left them, by name. */
    public Map<String, FloatTensor> dumped() {
        return Map.copyOf(dumped);
    }

    /** The task graphs for one image of {@code width x height}, each as its own description. */
    public List<String> describe(int width, int height) {
        return runners.computeIfAbsent(List.of(1, height, width), k -> new Runner(1, height, width)).graphs.stream()
                .map(ImmutableTaskGraph::describe).toList();
    }

    @Override
    public void close() {
        runners.values().forEach(Runner::close);
        runners.clear();
    }

    /** The buffers and plan of one batch size and image size (llama2.c's {@code RunState}). */
    private final class Runner implements AutoCloseable {
        final int n;
        final int height;
        final int width;
        final int columns;   // patches per row
        final int patches;   // N, per image
        final int tokens;    // T, per image
        final Arena arena = Arena.ofShared();
        final FloatArray pixels;   // (n, 3, H, W) inp_raw
        final FloatArray out;      // (n*T, E) mm_proj
        final List<ImmutableTaskGraph> graphs = new ArrayList<>();
        final List<Map<String, FloatArray>> dumps = new ArrayList<>();
        final Map<FloatArray, int[]> shapes = new HashMap<>();
        final ExecutionPlan plan;

        Runner(int n, int height, int width) {
            this.n = n;
            this.height = height;
            this.width = width;
            int p = c.encoderPatch();
            this.columns = width / p;
            this.patches = (height / p) * columns;
            this.tokens = patches / (c.pool() * c.pool());
            pixels = alloc((long) n * 3 * height * width, n, 3, height, width);
            out = alloc((long) n * tokens * c.projectionDim(), n, tokens, c.projectionDim());
            if (c.kind() == Gemma4VisionConfig.Kind.UNIFIED) {
                unified();
            } else {
                FloatArray x = tower();
                project(x);
            }
            plan = new ExecutionPlan(graphs.toArray(ImmutableTaskGraph[]::new)).withDevice(device);
        }

        private FloatArray alloc(long length, int... shape) {
            FloatArray a = FloatArray.allocate(arena, length);
            shapes.put(a, shape);
            return a;
        }

        private FloatArray rows(int width) {
            return alloc((long) n * patches * width, n, patches, width);
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

        /** gemma4v's embedding and blocks; returns the residual stream after the last block. */
        private FloatArray tower() {
            int rows = n * patches;
            int d = c.hidden();
            int f = c.ffn();
            FloatArray scaled = alloc((long) n * 3 * height * width, n, 3, height, width);
            FloatArray unfolded = rows(c.patchValues());
            FloatArray x = rows(d);
            FloatArray ln1 = rows(d);
            FloatArray q = rows(d);
            FloatArray k = rows(d);
            FloatArray v = rows(d);
            FloatArray attn = rows(d);
            FloatArray attnOut = rows(d);
            FloatArray mid = rows(d);
            FloatArray ln2 = rows(d);
            FloatArray gate = rows(f);
            FloatArray up = rows(f);
            FloatArray down = rows(d);
            FloatArray clipped = rows(Math.max(d, f));

            TaskGraph g = new TaskGraph("visionEmbed");
            g.transferToDevice(DataTransferMode.EVERY_EXECUTION, pixels);
            g.transferToDevice(DataTransferMode.FIRST_EXECUTION, w.patchEmbedding().array(), w.positions());
            // the tower sees pixels in [-1, 1]: patches = 2 * (patches - 0.5) (HF Gemma4VisionPatchEmbedder)
            g.task("scalePixels", Elementwise::scaleShift, pixels, scaled, n * 3 * height * width, 2f, -1f);
            g.task("unfold", Patches::unfold, scaled, unfolded, n, 3, height, width, c.encoderPatch());
            w.patchEmbedding().matMul(g, "patchEmbed", unfolded, x, rows);
            g.task("positions", Embedding::addGridPositions, x, w.positions(), x, rows, d, patches, columns,
                    w.positionRows());
            Map<String, FloatArray> named = new LinkedHashMap<>();
            named.put("inp_raw", pixels);
            named.put("inp_raw_scaled", scaled);
            named.put("patches", unfolded);
            named.put("pos_embd", x);
            finish(g, named);

            for (int i = 0; i < c.layers(); i++) {
                Gemma4VisionWeights.Layer l = w.layers().get(i);
                float eps = c.eps();
                int heads = c.heads();
                int hd = c.headDim();
                g = new TaskGraph("visionLayer" + i);
                g.consumeFromDevice(x);
                g.transferToDevice(DataTransferMode.FIRST_EXECUTION, l.arrays().toArray(TypedArray[]::new));
                norm(g, "ln1", x, l.ln1(), ln1, rows, d);
                linear(g, "q", l.q(), ln1, q, clipped, rows);
                linear(g, "k", l.k(), ln1, k, clipped, rows);
                linear(g, "v", l.v(), ln1, v, clipped, rows);
                if (l.qNorm() != null) {
                    g.task("qNorm", Norm::rmsNormHeads, q, l.qNorm(), q, rows, heads, hd, eps);
                }
                if (l.kNorm() != null) {
                    g.task("kNorm", Norm::rmsNormHeads, k, l.kNorm(), k, rows, heads, hd, eps);
                }
                g.task("qRope", Rope::rope2d, q, rows, heads, hd, patches, columns, Gemma4VisionConfig.ROPE_THETA);
                g.task("kRope", Rope::rope2d, k, rows, heads, hd, patches, columns, Gemma4VisionConfig.ROPE_THETA);
                g.task("vNorm", Norm::rmsNormNoScale, v, v, rows * heads, hd, eps);
                // q and k are normalised, so the scores are not scaled (gemma4v.cpp kq_scale = 1)
                g.task("attention", ImageAttention::encoder, q, k, v, attn, n, patches, heads, hd, 1f);
                linear(g, "attnOut", l.out(), attn, attnOut, clipped, rows);
                if (l.attnPostNorm() != null) {
                    g.task("attnPostNorm", Norm::rmsNorm, attnOut, l.attnPostNorm(), attnOut, rows, d, eps);
                }
                g.task("attnResidual", Elementwise::add, x, attnOut, mid, rows * d);
                norm(g, "ln2", mid, l.ln2(), ln2, rows, d);
                linear(g, "ffnGate", l.gate(), ln2, gate, clipped, rows);
                linear(g, "ffnUp", l.up(), ln2, up, clipped, rows);
                g.task("geglu", Activation::geglu, gate, up, gate, rows * f);
                linear(g, "ffnDown", l.down(), gate, down, clipped, rows);
                if (l.ffnPostNorm() != null) {
                    g.task("ffnPostNorm", Norm::rmsNorm, down, l.ffnPostNorm(), down, rows, d, eps);
                }
                g.task("ffnResidual", Elementwise::add, mid, down, x, rows * d);
                if (l.outScale() != 1f) {
                    g.task("outScale", Elementwise::scale, x, x, rows * d, l.outScale());
                }
                String p = "blk." + i + ".";
                named = new LinkedHashMap<>();
                named.put(p + "ln1", ln1);
                named.put(p + "q", q);
                named.put(p + "k", k);
                named.put(p + "v", v);
                named.put(p + "attn", attn);
                named.put(p + "attn_out", attnOut);
                named.put(p + "attn_residual", mid);
                named.put(p + "ln2", ln2);
                named.put(p + "ffn_geglu", gate);
                named.put(p + "ffn_down", down);
                named.put(p + "out", x);
                finish(g, named);
            }
            return x;
        }

        private void project(FloatArray x) {
            int d = c.hidden();
            int t = n * tokens;
            FloatArray pooled = alloc((long) t * d, n, tokens, d);
            FloatArray normed = alloc((long) t * d, n, tokens, d);
            FloatArray clipped = alloc((long) t * d, n, tokens, d);
            TaskGraph g = new TaskGraph("visionProject");
            g.consumeFromDevice(x);
            g.transferToDevice(DataTransferMode.FIRST_EXECUTION, nonNull(w.stdBias(), w.stdScale(),
                    w.projection().weight().array()));
            // the n images stacked are one (n * rows) x columns grid; rows are multiples of the window
            g.task("pool", Pool::avgPool2dHwc, x, pooled, d, n * (height / c.encoderPatch()), columns, c.pool(),
                    c.pool());
            // Gemma4VisionPooler scales the pooled tokens by sqrt(width) (gemma4v.cpp)
            g.task("poolScale", Elementwise::scale, pooled, pooled, t * d, (float) Math.sqrt(d));
            if (w.stdBias() != null) {
                g.task("standardize", Elementwise::standardize, pooled, w.stdBias(), w.stdScale(), pooled, t, d);
            }
            g.task("preProjectionNorm", Norm::rmsNormNoScale, pooled, normed, t, d, c.eps());
            linear(g, "inputProjection", w.projection(), normed, out, clipped, t);
            g.transferToHost(DataTransferMode.EVERY_EXECUTION, out);
            Map<String, FloatArray> named = new LinkedHashMap<>();
            named.put("pooled", pooled);
            named.put("pre_projection_norm", normed);
            named.put("mm_proj", out);
            finish(g, named);
        }

        /** gemma4uv: embedder and projection in one graph. */
        private void unified() {
            int rows = n * patches;
            int d = c.hidden();
            float ln = Gemma4VisionConfig.EMBEDDER_LAYER_NORM_EPS;
            FloatArray unfolded = rows(c.patchValues());
            FloatArray norm1 = rows(c.patchValues());
            FloatArray x = rows(d);
            FloatArray norm2 = rows(d);
            FloatArray posNorm = rows(d);
            FloatArray normed = rows(d);
            List<FloatArray> nw = w.patchNormWeight();
            List<FloatArray> nb = w.patchNormBias();
            TaskGraph g = new TaskGraph("visionEmbed");
            g.transferToDevice(DataTransferMode.EVERY_EXECUTION, pixels);
            List<TypedArray> weights = new ArrayList<>(List.of(w.patchEmbedding().array(), w.patchBias(),
                    w.positions(), w.projection().weight().array()));
            weights.addAll(nw);
            weights.addAll(nb);
            g.transferToDevice(DataTransferMode.FIRST_EXECUTION, weights.toArray(TypedArray[]::new));
            g.task("unfold", Patches::unfold, pixels, unfolded, n, 3, height, width, c.encoderPatch());
            g.task("patchNorm1", Norm::layerNorm, unfolded, nw.get(0), nb.get(0), norm1, rows, c.patchValues(), ln);
            w.patchEmbedding().matMul(g, "patchEmbed", norm1, x, rows);
            g.task("patchBias", Elementwise::addBias, x, w.patchBias(), x, rows, d);
            g.task("patchNorm2", Norm::layerNorm, x, nw.get(1), nb.get(1), norm2, rows, d, ln);
            g.task("positions", Embedding::addGridPositions, norm2, w.positions(), norm2, rows, d, patches, columns,
                    w.positionRows());
            g.task("posNorm", Norm::layerNorm, norm2, nw.get(2), nb.get(2), posNorm, rows, d, ln);
            g.task("preProjectionNorm", Norm::rmsNormNoScale, posNorm, normed, rows, d, c.eps());
            w.projection().weight().matMul(g, "inputProjection", normed, out, rows);
            g.transferToHost(DataTransferMode.EVERY_EXECUTION, out);
            Map<String, FloatArray> named = new LinkedHashMap<>();
            named.put("inp_raw", pixels);
            named.put("patches", unfolded);
            named.put("patch_norm1", norm1);
            named.put("inp", x);
            named.put("pos_embd", norm2);
            named.put("pos_norm", posNorm);
            named.put("pre_projection_norm", normed);
            named.put("mm_proj", out);
            finish(g, named);
        }

        /** RMSNorm with the stored scale, or without one when the file has none. */
        private void norm(TaskGraph g, String task, FloatArray in, FloatArray weight, FloatArray y, int rows, int d) {
            if (weight != null) {
                g.task(task, Norm::rmsNorm, in, weight, y, rows, d, c.eps());
            } else {
                g.task(task, Norm::rmsNormNoScale, in, y, rows, d, c.eps());
            }
        }

        /** y = clip(W clip(x)); {@code scratch} holds the clipped input when the input is clipped. */
        private void linear(TaskGraph g, String task, ClippedLinear l, FloatArray in, FloatArray y, FloatArray scratch,
                            int rows) {
            FloatArray x = in;
            if (l.clampsInput()) {
                g.task(task + "ClipIn", Elementwise::clamp, in, scratch, rows * l.weight().cols(), l.inMin(), l.inMax());
                x = scratch;
            }
            l.weight().matMul(g, task, x, y, rows);
            if (l.clampsOutput()) {
                g.task(task + "ClipOut", Elementwise::clamp, y, y, rows * l.weight().rows(), l.outMin(), l.outMax());
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
        return Arrays.stream(arrays).filter(Objects::nonNull).toArray(TypedArray[]::new);
    }
}
