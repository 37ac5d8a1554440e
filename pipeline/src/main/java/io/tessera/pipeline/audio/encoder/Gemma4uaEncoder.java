package io.tessera.pipeline.audio.encoder;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import io.tessera.pipeline.gguf.GgufTensorInfo;
import io.tessera.pipeline.model.Weight;
import io.tessera.pipeline.vision.Mmproj;
import io.tessera.pipeline.vision.MmprojFormatException;
import io.tessera.tasks.api.DataTransferMode;
import io.tessera.tasks.api.Device;
import io.tessera.tasks.api.ExecutionPlan;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.ImmutableTaskGraph;
import io.tessera.tasks.api.TaskGraph;
import io.tessera.tasks.kernels.Norm;

/**
 * Gemma 4 unified audio, encoder-free (llama.cpp models/gemma4ua.cpp, mtmd-audio.cpp
 * {@code mtmd_audio_preprocessor_gemma4ua}): the waveform is cut into frames of F = 640 samples
 * (40 ms, so 25 tokens per second), the last one zero-padded; each frame is one soft token.
 * T = frames, E = text width:
 *
 * <pre>
 *   gemma4ua  frames (T, F) --RMSNorm without weight, eps 1e-6--> normed (T, F)
 *             --mm.a.input_projection (E, F)--> projected (T, E) -> host
 * </pre>
 *
 * The epsilon is fixed at 1e-6 as llama.cpp fixes it (clip.cpp sets {@code hparams.eps} for
 * gemma4ua whatever the file says). A clip is never split: mtmd's gemma4ua preprocessor makes one
 * chunk of the whole clip. Plans are kept per frame count seen.
 */
public final class Gemma4uaEncoder implements AudioEncoder {
    static final float EPS = 1e-6f;

    private final AudioConfig config;
    private final Device device;
    private final int frame;
    private final Weight projection; // (E, F)
    private final Map<Integer, Runner> runners = new HashMap<>();

    Gemma4uaEncoder(Mmproj mmproj, Device device) {
        this.config = mmproj.audio();
        this.device = device;
        this.frame = config.projector().inputBins();
        String file = mmproj.path().toString();
        String name = AudioTensorNames.MM_A_INPUT_PROJECTION;
        GgufTensorInfo t = mmproj.gguf().tensor(name).orElseThrow(() -> new MmprojFormatException(file,
                "missing tensor " + name + " (audio projector " + config.projector().ggufName() + ")"));
        long[] dims = t.dims();
        if (dims.length != 2 || dims[0] != frame || dims[1] <= 0 || dims[1] > Integer.MAX_VALUE) {
            throw new MmprojFormatException(file, "tensor " + name + " has shape " + Arrays.toString(dims)
                    + ", expected [" + frame + ", E]: gemma4ua frames are " + frame + " samples");
        }
        int width = (int) dims[1];
        if (config.projectionDim() != 0 && config.projectionDim() != width) {
            throw new MmprojFormatException(file, "tensor " + name + " maps into width " + width + " but "
                    + "clip.audio.projection_dim is " + config.projectionDim());
        }
        try {
            this.projection = switch (t.type()) {
                case F32, F16, BF16, Q8_0 -> Weight.of(name, t.type(), width, frame, mmproj.gguf().data(t));
                default -> throw new MmprojFormatException(file, "tensor " + name + " has type " + t.type()
                        + "; expected F32, F16, BF16 or Q8_0");
            };
        } catch (IllegalArgumentException e) {
            throw new MmprojFormatException(file, e.getMessage());
        }
    }

    @Override
    public AudioConfig config() {
        return config;
    }

    @Override
    public int width() {
        return projection.rows();
    }

    /** ceil(samples / 640) (mtmd-audio.cpp). */
    @Override
    public int tokens(long samples) {
        if (samples <= 0) {
            throw new IllegalArgumentException("an audio chunk needs at least one sample, not " + samples);
        }
        long n = (samples + frame - 1) / frame;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a clip of " + samples + " samples is too long to encode");
        }
        return (int) n;
    }

    @Override
    public long chunkSamples() {
        return Long.MAX_VALUE;
    }

    @Override
    public float[] encode(float[] pcm16k) {
        int tokens = tokens(pcm16k.length);
        Runner r = runners.computeIfAbsent(tokens, Runner::new);
        MemorySegment in = r.frames.segment();
        in.fill((byte) 0);
        MemorySegment.copy(pcm16k, 0, in, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, pcm16k.length);
        r.plan.execute();
        return r.out.toArray();
    }

    /** The task graph for {@code tokens} frames, as text. */
    public String describe(int tokens) {
        return runners.computeIfAbsent(tokens, Runner::new).graph.describe();
    }

    @Override
    public void close() {
        runners.values().forEach(Runner::close);
        runners.clear();
    }

    /** Buffers and plan of one frame count (llama2.c's {@code RunState}). */
    private final class Runner implements AutoCloseable {
        final Arena arena = Arena.ofShared();
        final FloatArray frames; // (T, F) inp_raw, the last frame zero-padded
        final FloatArray normed; // (T, F)
        final FloatArray out;    // (T, E) projected
        final ImmutableTaskGraph graph;
        final ExecutionPlan plan;

        Runner(int tokens) {
            frames = FloatArray.allocate(arena, (long) tokens * frame);
            normed = FloatArray.allocate(arena, (long) tokens * frame);
            out = FloatArray.allocate(arena, (long) tokens * width());
            TaskGraph g = new TaskGraph("gemma4ua");
            g.transferToDevice(DataTransferMode.EVERY_EXECUTION, frames);
            g.transferToDevice(DataTransferMode.FIRST_EXECUTION, projection.array());
            g.task("norm", Norm::rmsNormNoScale, frames, normed, tokens, frame, EPS);
            projection.matMul(g, "projection", normed, out, tokens);
            g.transferToHost(DataTransferMode.EVERY_EXECUTION, out);
            graph = g.snapshot();
            plan = new ExecutionPlan(graph).withDevice(device);
        }

        @Override
        public void close() {
            plan.close();
            arena.close();
        }
    }
}
