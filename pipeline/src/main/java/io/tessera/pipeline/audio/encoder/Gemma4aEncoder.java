package io.tessera.pipeline.audio.encoder;

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
import java.util.Set;

import io.tessera.media.FloatTensor;
import io.tessera.pipeline.model.ClippedLinear;
import io.tessera.pipeline.audio.Gemma4EncoderFeatures;
import io.tessera.pipeline.vision.Mmproj;
import io.tessera.pipeline.vision.MmprojFormatException;
import io.tessera.tasks.api.DataTransferMode;
import io.tessera.tasks.api.Device;
import io.tessera.tasks.api.ExecutionPlan;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.ImmutableTaskGraph;
import io.tessera.tasks.api.TaskGraph;
import io.tessera.tasks.api.TypedArray;
import io.tessera.tasks.kernels.Activation;
import io.tessera.tasks.kernels.Conv;
import io.tessera.tasks.kernels.Elementwise;
import io.tessera.tasks.kernels.LocalAttention;
import io.tessera.tasks.kernels.Norm;

/**
 * The Gemma 4 audio conformer and its embedder on task graphs (projector {@code gemma4a};
 * spec/MODELS.md §4.1-4.2; llama.cpp {@code tools/mtmd/models/gemma4a.cpp} is the reference
 * semantics). One 30 s chunk of 16 kHz samples per pass. S = samples, T = log-mel frames,
 * M = mel bins, N = tokens = T/4 (40 ms each), D = width, F = feed-forward width, O = output
 * width, E = text width; every buffer is named and can be dumped ({@link Options#dump}):
 *
 * <pre>
 *   audioFeatures   samples (S) --frame, spectrum, melLog: ln(max(mel, 0.001))--> inp_raw (T, M)
 *   audioSubsample  inp_raw as (T, M, 1) --conv2d 3x3/2 pad 1--> conv0 (T/2, M/2, C0) --LN(C0), ReLU-->
 *                   --conv2d--> conv1 (N, M/4, C1) --LN(C1), ReLU--> as (N, M/4 * C1)
 *                   --clipped input_projection (+b)--> inp_proj (N, D)
 *   audioLayerI     x = inp_proj or the previous block's out
 *                   x += 0.5 RMS(ffn_down(silu(ffn_up(RMS(x)))))                      half-step FFN
 *                   h = RMS(x); q, k, v = h W (clipped); rel_k = W_rel sinusoid(0..12)
 *                   attn = local attention (chunk 12, 12 past, q and k scaled per dimension, cap 50)
 *                   x += RMS(attn W_o (+b))
 *                   x += pw2(silu(RMS(dwconv_causal(glu(pw1(RMS(x)))))))                convolution module
 *                   x += 0.5 RMS(ffn_down_1(silu(ffn_up_1(RMS(x)))))                  half-step FFN
 *                   out = RMS(x)                                                          (named blk.I.*)
 *   audioProject    pre_encode_out = out W_out (+b) (N, O); soft_emb_norm = RMS(.) * w;
 *                   mm_proj = soft_emb_norm W_mm (N, E) -> host
 * </pre>
 * Every RMSNorm and LayerNorm uses epsilon 1e-6 with plain weights. Clipped linears clamp their
 * input and output where the file stores bounds ({@link ClippedLinear}). All graphs of a frame
 * count run in one execution plan, so activations stay on the device and weights are copied there
 * once; plans are kept per frame count (full chunks share one).
 */
public final class Gemma4aEncoder implements AudioEncoder {
    /**
     * @param dump names of the buffers to copy to the host ({@code "*"}: all), see the class doc
     */
    public record Options(Set<String> dump) {
        public Options {
            dump = Set.copyOf(dump);
        }

        public static Options none() {
            return new Options(Set.of());
        }

        boolean dumps(String name) {
            return dump.contains("*") || dump.contains(name);
        }
    }

    private final AudioConfig audio;
    private final ConformerConfig c;
    private final ConformerWeights w;
    private final Device device;
    private final Options options;
    private final Gemma4EncoderFeatures features;
    /** (MAX_PAST + 1, D): the sinusoidal signal of each distance 0..12. */
    private final FloatArray relativeSignal;
    private final Map<Integer, Runner> runners = new HashMap<>();
    private final Map<String, FloatTensor> dumped = new LinkedHashMap<>();

    Gemma4aEncoder(Mmproj mmproj, Device device, Options options) {
        this.audio = mmproj.audio();
        this.c = ConformerConfig.from(mmproj);
        this.w = ConformerWeights.load(mmproj.gguf(), c, mmproj.arena());
        this.device = device;
        this.options = options;
        this.features = Gemma4EncoderFeatures.on(device);
        if (features.melBins() != c.melBins()) {
            throw new MmprojFormatException(mmproj.path().toString(),
                    "the conformer takes " + c.melBins() + " mel bins but the Gemma 4 feature extractor makes "
                            + features.melBins());
        }
        this.relativeSignal = relativeSignal(c.hidden());
    }

    /** The encoder of {@code mmproj}'s gemma4a audio part on {@code device}, dumping the named buffers. */
    public static Gemma4aEncoder open(Mmproj mmproj, Device device, Options options) {
        return new Gemma4aEncoder(mmproj, device, Objects.requireNonNull(options, "options"));
    }

    /**
     * pos_emb of clip.cpp, indexed by distance d rather than by p = 12 - d: row d holds
     * sin(d / 10^(4 i / (D/2 - 1))) for i &lt; D/2, then the cosines; computed in float as there.
     */
    static FloatArray relativeSignal(int width) {
        int half = width / 2;
        float increment = (float) Math.log(ConformerConfig.MAX_TIMESCALE) / Math.max(half - 1, 1);
        FloatArray a = FloatArray.allocate((long) (ConformerConfig.MAX_PAST + 1) * width);
        for (int d = 0; d <= ConformerConfig.MAX_PAST; d++) {
            for (int i = 0; i < half; i++) {
                float scaled = d * (float) Math.exp(-i * increment);
                a.set((long) d * width + i, (float) Math.sin(scaled));
                a.set((long) d * width + half + i, (float) Math.cos(scaled));
            }
        }
        return a;
    }

    @Override
    public AudioConfig config() {
        return audio;
    }

    public ConformerConfig conformer() {
        return c;
    }

    public ConformerWeights weights() {
        return w;
    }

    public Device device() {
        return device;
    }

    @Override
    public int width() {
        return c.projectionDim();
    }

    @Override
    public int tokens(long samples) {
        if (samples <= 0 || samples > chunkSamples()) {
            throw new IllegalArgumentException("an audio chunk holds 1 to " + chunkSamples() + " samples, not "
                    + samples);
        }
        int frames = features.frames(samples);
        return frames == 0 ? 0 : ConformerConfig.tokens(frames);
    }

    /** 30 s: mtmd's gemma4a preprocessor splits longer clips. */
    @Override
    public long chunkSamples() {
        return features.chunkSamples();
    }

    @Override
    public float[] encode(float[] pcm16k) {
        tokens(pcm16k.length);
        int frames = features.frames(pcm16k.length);
        if (frames == 0) {
            throw new IllegalArgumentException("an audio chunk of " + pcm16k.length
                    + " samples is too short for one log-mel frame");
        }
        dumped.clear();
        Runner r = runners.computeIfAbsent(frames, Runner::new);
        MemorySegment in = r.samples.segment();
        in.fill((byte) 0);
        long room = r.samples.length() - features.leftPad();
        MemorySegment.copy(pcm16k, 0, in, ValueLayout.JAVA_FLOAT_UNALIGNED, 4L * features.leftPad(),
                (int) Math.min(pcm16k.length, room));
        r.run();
        return r.out.toArray();
    }

    /** The buffers named in {@link Options#dump} as the last chunk left them, by name, in graph order. */
    public Map<String, FloatTensor> dumped() {
        return Map.copyOf(dumped);
    }

    /** The task graphs for a chunk of {@code frames} log-mel frames, each as its own description. */
    public List<String> describe(int frames) {
        return runners.computeIfAbsent(frames, Runner::new).graphs.stream().map(ImmutableTaskGraph::describe).toList();
    }

    @Override
    public void close() {
        runners.values().forEach(Runner::close);
        runners.clear();
    }

    /** The buffers and plan of one frame count (llama2.c's {@code RunState}). */
    private final class Runner implements AutoCloseable {
        final Arena arena = Arena.ofShared();
        final int frames;     // T
        final int[] h = new int[3];  // time after 0, 1, 2 convolutions: T, T/2, N
        final int[] m = new int[3];  // mel bins likewise: M, M/2, M/4
        final int n;          // N
        final FloatArray samples;   // (S) zero-padded chunk
        final FloatArray mel;       // (T, M) inp_raw
        final FloatArray conv0;     // (T/2, M/2, C0)
        final FloatArray conv1;     // (N, M/4, C1)
        final FloatArray x;         // (N, D) residual stream: inp_proj, then each block's out
        final FloatArray normed;    // (N, D) a pre-norm's output
        final FloatArray up;        // (N, F)
        final FloatArray branch;    // (N, D) a branch's output before the residual add
        final FloatArray q;         // (N, D)
        final FloatArray k;         // (N, D)
        final FloatArray v;         // (N, D)
        final FloatArray relK;      // (13, D)
        final FloatArray attn;      // (N, D)
        final FloatArray pointwise; // (N, 2D)
        final FloatArray gated;     // (N, D)
        final FloatArray depthwise; // (N, D)
        final FloatArray clampIn;   // (N, max input width) a clipped linear's clamped input
        final FloatArray encoded;   // (N, O)
        final FloatArray embedded;  // (N, O)
        final FloatArray out;       // (N, E)
        final FloatArray zeroC0;
        final FloatArray zeroC1;
        final FloatArray zeroD;
        final List<ImmutableTaskGraph> graphs = new ArrayList<>();
        /** Per graph: the buffers it dumps, by name. */
        final List<Map<String, FloatArray>> dumps = new ArrayList<>();
        final Map<FloatArray, int[]> shapes = new HashMap<>();
        final ExecutionPlan plan;

        Runner(int frames) {
            this.frames = frames;
            h[0] = frames;
            m[0] = c.melBins();
            for (int i = 1; i < 3; i++) {
                h[i] = ConformerConfig.halved(h[i - 1]);
                m[i] = ConformerConfig.halved(m[i - 1]);
            }
            n = h[2];
            int d = c.hidden();
            int[] ch = c.subsampleChannels();
            samples = FloatArray.allocate(arena, features.samples(frames));
            mel = alloc((long) frames * m[0], frames, m[0]);
            conv0 = alloc((long) h[1] * m[1] * ch[0], h[1], m[1], ch[0]);
            conv1 = alloc((long) n * m[2] * ch[1], n, m[2], ch[1]);
            x = alloc((long) n * d, n, d);
            normed = alloc((long) n * d, n, d);
            up = alloc((long) n * c.ffn(), n, c.ffn());
            branch = alloc((long) n * d, n, d);
            q = alloc((long) n * d, n, c.heads(), c.headDim());
            k = alloc((long) n * d, n, c.heads(), c.headDim());
            v = alloc((long) n * d, n, c.heads(), c.headDim());
            relK = alloc((long) (ConformerConfig.MAX_PAST + 1) * d, ConformerConfig.MAX_PAST + 1, c.heads(),
                    c.headDim());
            attn = alloc((long) n * d, n, d);
            pointwise = alloc(2L * n * d, n, 2 * d);
            gated = alloc((long) n * d, n, d);
            depthwise = alloc((long) n * d, n, d);
            int widest = Math.max(Math.max(c.ffn(), c.subsampledFeatures()), Math.max(d, c.outputDim()));
            clampIn = FloatArray.allocate(arena, (long) n * widest);
            encoded = alloc((long) n * c.outputDim(), n, c.outputDim());
            embedded = alloc((long) n * c.outputDim(), n, c.outputDim());
            out = alloc((long) n * c.projectionDim(), n, c.projectionDim());
            zeroC0 = FloatArray.allocate(arena, ch[0]);
            zeroC1 = FloatArray.allocate(arena, ch[1]);
            zeroD = FloatArray.allocate(arena, d);
            featuresGraph();
            subsampleGraph();
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
                if (options.dumps(name) && dump.values().stream().noneMatch(b -> b == a)) {
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

        private void featuresGraph() {
            TaskGraph g = new TaskGraph("audioFeatures");
            g.transferToDevice(DataTransferMode.EVERY_EXECUTION, samples);
            g.transferToDevice(DataTransferMode.FIRST_EXECUTION, features.constants());
            features.addTasks(g, samples, mel, frames);
            Map<String, FloatArray> named = new LinkedHashMap<>();
            named.put("inp_raw", mel);
            finish(g, named);
        }

        private void subsampleGraph() {
            int[] ch = c.subsampleChannels();
            float eps = c.eps();
            TaskGraph g = new TaskGraph("audioSubsample");
            g.consumeFromDevice(mel);
            g.transferToDevice(DataTransferMode.FIRST_EXECUTION, nonNull(w.subsampleConv().get(0),
                    w.subsampleConv().get(1), w.subsampleBias().get(0), w.subsampleBias().get(1),
                    w.subsampleNorm().get(0), w.subsampleNorm().get(1), w.inputProjection().weight().array(),
                    w.inputProjectionBias(), zeroC0, zeroC1));
            FloatArray[] planes = {mel, conv0, conv1};
            FloatArray[] zeros = {zeroC0, zeroC1};
            for (int i = 0; i < 2; i++) {
                int in = i == 0 ? 1 : ch[0];
                FloatArray bias = w.subsampleBias().get(i) != null ? w.subsampleBias().get(i) : zeros[i];
                g.task("conv" + i, Conv::conv2d, planes[i], w.subsampleConv().get(i), bias, planes[i + 1], h[i], m[i],
                        in, ch[i], 3, 3, 2, 1);
                // nn.LayerNorm over the channels of each (time, mel) cell, without bias
                g.task("norm" + i, Norm::layerNorm, planes[i + 1], w.subsampleNorm().get(i), zeros[i], planes[i + 1],
                        h[i + 1] * m[i + 1], ch[i], eps);
                g.task("relu" + i, Activation::relu, planes[i + 1], planes[i + 1], h[i + 1] * m[i + 1] * ch[i]);
            }
            // (N, M/4, C1) is already the flattening (mel major, channel minor) that gemma4a.cpp feeds the projection
            linear(g, "inputProjection", w.inputProjection(), w.inputProjectionBias(), conv1, x);
            Map<String, FloatArray> named = new LinkedHashMap<>();
            named.put("conv0", conv0);
            named.put("conv1", conv1);
            named.put("inp_proj", x);
            finish(g, named);
        }

        private void layerGraph(int i) {
            ConformerLayerWeights l = w.layers().get(i);
            int d = c.hidden();
            int size = n * d;
            float eps = c.eps();
            String p = "blk." + i + ".";
            Map<String, FloatArray> named = new LinkedHashMap<>();
            TaskGraph g = new TaskGraph("audioLayer" + i);
            g.consumeFromDevice(x);
            g.transferToDevice(DataTransferMode.FIRST_EXECUTION,
                    ConformerWeights.layerArrays(l).toArray(TypedArray[]::new));
            g.transferToDevice(DataTransferMode.FIRST_EXECUTION, relativeSignal, zeroD);

            feedForward(g, "ffn", l.ffnNorm(), l.ffnUp(), l.ffnDown(), l.ffnPostNorm());
            named.put(p + "ffn_out", x);

            g.task("attnNorm", Norm::rmsNorm, x, l.attnPreNorm(), normed, n, d, eps);
            linear(g, "q", l.q(), null, normed, q);
            linear(g, "k", l.k(), null, normed, k);
            linear(g, "v", l.v(), null, normed, v);
            l.kRel().matMul(g, "relK", relativeSignal, relK, ConformerConfig.MAX_PAST + 1);
            g.task("attention", LocalAttention::chunkedRelative, q, k, v, relK, l.perDimScale(), l.perDimKScale(), attn,
                    n, c.heads(), c.headDim(), ConformerConfig.CHUNK, ConformerConfig.MAX_PAST, c.queryScale(),
                    ConformerConfig.keyScale(), ConformerConfig.SOFTCAP);
            linear(g, "attnOut", l.attnOut(), l.attnOutBias(), attn, branch);
            g.task("attnPostNorm", Norm::rmsNorm, branch, l.attnPostNorm(), branch, n, d, eps);
            g.task("attnResidual", Elementwise::add, x, branch, x, size);
            named.put(p + "q", q);
            named.put(p + "k", k);
            named.put(p + "v", v);
            named.put(p + "rel_k", relK);
            named.put(p + "attn", attn);
            named.put(p + "attn_out", x);

            g.task("convNorm", Norm::rmsNorm, x, l.convPreNorm(), normed, n, d, eps);
            linear(g, "pointwise1", l.pointwise1(), null, normed, pointwise);
            g.task("glu", Activation::glu, pointwise, gated, n, d);
            g.task("depthwise", Conv::depthwiseCausalConv1d, gated, l.depthwise(),
                    l.depthwiseBias() != null ? l.depthwiseBias() : zeroD, depthwise, n, d, c.convKernel());
            g.task("depthwiseNorm", Norm::rmsNorm, depthwise, l.convNorm(), depthwise, n, d, eps);
            g.task("convSilu", Activation::silu, depthwise, depthwise, size);
            linear(g, "pointwise2", l.pointwise2(), null, depthwise, branch);
            g.task("convResidual", Elementwise::add, x, branch, x, size);
            named.put(p + "glu", gated);
            named.put(p + "depthwise", depthwise);
            named.put(p + "conv_out", x);

            feedForward(g, "ffn2", l.ffn2Norm(), l.ffn2Up(), l.ffn2Down(), l.ffn2PostNorm());
            named.put(p + "ffn2_out", x);
            g.task("outNorm", Norm::rmsNorm, x, l.outNorm(), x, n, d, eps);
            named.put(p + "out", x);
            finish(g, named);
        }

        /** x += 0.5 RMS(down(silu(up(RMS(x))))) (build_ffn with FFN_SILU and no gate). */
        private void feedForward(TaskGraph g, String task, FloatArray norm, ClippedLinear upW, ClippedLinear downW,
                                 FloatArray postNorm) {
            int d = c.hidden();
            g.task(task + "Norm", Norm::rmsNorm, x, norm, normed, n, d, c.eps());
            linear(g, task + "Up", upW, null, normed, up);
            g.task(task + "Silu", Activation::silu, up, up, n * c.ffn());
            linear(g, task + "Down", downW, null, up, branch);
            g.task(task + "PostNorm", Norm::rmsNorm, branch, postNorm, branch, n, d, c.eps());
            g.task(task + "Residual", Elementwise::addScaled, x, branch, x, n * d, ConformerConfig.RESIDUAL_WEIGHT);
        }

        private void projectGraph() {
            TaskGraph g = new TaskGraph("audioProject");
            g.consumeFromDevice(x);
            g.transferToDevice(DataTransferMode.FIRST_EXECUTION, nonNull(w.outputProjection().weight().array(),
                    w.outputBias(), w.softEmbNorm(), w.mmInputProjection().weight().array()));
            linear(g, "outputProjection", w.outputProjection(), w.outputBias(), x, encoded);
            if (w.softEmbNorm() != null) {
                g.task("softEmbNorm", Norm::rmsNorm, encoded, w.softEmbNorm(), embedded, n, c.outputDim(), c.eps());
            } else {
                g.task("softEmbNorm", Norm::rmsNormNoScale, encoded, embedded, n, c.outputDim(), c.eps());
            }
            linear(g, "mmInputProjection", w.mmInputProjection(), null, embedded, out);
            g.transferToHost(DataTransferMode.EVERY_EXECUTION, out);
            Map<String, FloatArray> named = new LinkedHashMap<>();
            named.put("pre_encode_out", encoded);
            named.put("soft_emb_norm", embedded);
            named.put("mm_proj", out);
            finish(g, named);
        }

        /** y = clamp(W clamp(in)) (+ bias), the clamps only where the file bounds them. */
        private void linear(TaskGraph g, String task, ClippedLinear l, FloatArray bias, FloatArray in, FloatArray y) {
            FloatArray src = in;
            int cols = l.weight().cols();
            int rows = l.weight().rows();
            if (l.clampsInput()) {
                g.task(task + "ClampIn", Elementwise::clamp, in, clampIn, n * cols, l.inMin(), l.inMax());
                src = clampIn;
            }
            l.weight().matMul(g, task, src, y, n);
            if (l.clampsOutput()) {
                g.task(task + "ClampOut", Elementwise::clamp, y, y, n * rows, l.outMin(), l.outMax());
            }
            if (bias != null) {
                g.task(task + "Bias", Elementwise::addBias, y, bias, y, n, rows);
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
