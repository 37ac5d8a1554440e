package io.tessera.pipeline.model;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.function.Consumer;

import io.tessera.pipeline.gguf.GgufFile;
import io.tessera.pipeline.gguf.GgufKeys;
import io.tessera.pipeline.gguf.GgufTensorInfo;
import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.tasks.api.FloatArray;

/**
 * Binds the routed-expert tensors of one layer of a GGUF file (llama.cpp {@code src/models/gemma4.cpp}
 * {@code load_arch_tensors}): a layer is a mixture of experts when it has {@code ffn_gate_inp}; it
 * then needs the router scale, both extra norms, the stacked expert matrices (separate gate and up,
 * or fused gate_up) and may have a per-expert output scale. Sizes come from the file's
 * {@code expert_count}, {@code expert_used_count} and {@code expert_feed_forward_length}.
 */
public final class ExpertsLoader {
    private final GgufFile file;
    private final String arch;
    private final Arena arena;
    private final Consumer<String> progress;

    public ExpertsLoader(GgufFile file, Architecture architecture, Arena arena, Consumer<String> progress) {
        this.file = file;
        this.arch = architecture.ggufName();
        this.arena = arena;
        this.progress = progress;
    }

    /** Whether layer {@code i} routes to experts. */
    public boolean hasExperts(int layer) {
        return file.tensor(ExpertTensorNames.routerInput(layer)).isPresent();
    }

    /** The experts of layer {@code i} of a model of width {@code hidden}. */
    public Experts load(int layer, int hidden) {
        int count = key(GgufKeys.expertCount(arch));
        int used = key(GgufKeys.expertUsedCount(arch));
        int width = key(GgufKeys.expertFeedForwardLength(arch));
        if (used > count) {
            throw fail(GgufKeys.expertUsedCount(arch) + " = " + used + " exceeds " + GgufKeys.expertCount(arch) + " = "
                    + count);
        }
        Weight router = matrix(ExpertTensorNames.routerInput(layer), count, hidden);
        FloatArray scale = vector(ExpertTensorNames.routerInputScale(layer), hidden);
        // the router multiplies its rms-normed input by 1/sqrt(hidden) and then by the scale
        FloatArray routerScale = FloatArray.allocate(arena, hidden);
        float inv = (float) (1 / Math.sqrt(hidden));
        for (int j = 0; j < hidden; j++) {
            routerScale.set(j, scale.get(j) * inv);
        }
        FloatArray norm = vector(ExpertTensorNames.expertsNorm(layer), hidden);
        ExpertMatrix gate = null;
        ExpertMatrix up = null;
        ExpertMatrix gateUp = null;
        if (file.tensor(ExpertTensorNames.gateUpExperts(layer)).isPresent()) {
            gateUp = stack(ExpertTensorNames.gateUpExperts(layer), count, 2 * width, hidden);
        } else {
            gate = stack(ExpertTensorNames.gateExperts(layer), count, width, hidden);
            up = stack(ExpertTensorNames.upExperts(layer), count, width, hidden);
        }
        ExpertMatrix down = stack(ExpertTensorNames.downExperts(layer), count, hidden, width);
        FloatArray downScale;
        if (file.tensor(ExpertTensorNames.downExpertsScale(layer)).isPresent()) {
            downScale = vector(ExpertTensorNames.downExpertsScale(layer), count);
        } else {
            downScale = FloatArray.allocate(arena, count);
            downScale.fill(1f);
        }
        FloatArray postNorm = vector(ExpertTensorNames.expertsPostNorm(layer), hidden);
        return new Experts(router, routerScale, norm, gate, up, gateUp, down, downScale, postNorm, used);
    }

    /** The dense MLP's output norm of a mixture layer. */
    public FloatArray sharedPostNorm(int layer, int hidden) {
        return vector(ExpertTensorNames.sharedPostNorm(layer), hidden);
    }

    private int key(String key) {
        long v = file.metadata().integer(key).orElseThrow(() -> fail("missing key " + key
                + ", which a file with experts (ffn_gate_inp) needs"));
        if (v <= 0 || v > Integer.MAX_VALUE) {
            throw fail("key " + key + " = " + v + " is not a positive count");
        }
        return (int) v;
    }

    private ModelFormatException fail(String message) {
        return new ModelFormatException(file.path().toString(), message + " (architecture " + arch + ")");
    }

    private GgufTensorInfo require(String name, long... dims) {
        GgufTensorInfo t = file.tensor(name).orElseThrow(() -> fail("missing tensor " + name));
        if (!Arrays.equals(t.dims(), dims)) {
            throw fail("tensor " + name + " has shape " + Arrays.toString(t.dims()) + ", expected "
                    + Arrays.toString(dims));
        }
        progress.accept(name);
        return t;
    }

    private Weight matrix(String name, int rows, int cols) {
        GgufTensorInfo t = require(name, cols, rows);
        return view(t, rows, cols);
    }

    private ExpertMatrix stack(String name, int experts, int rows, int cols) {
        GgufTensorInfo t = require(name, cols, rows, experts);
        return new ExpertMatrix(view(t, experts * rows, cols), experts, rows);
    }

    private Weight view(GgufTensorInfo t, int rows, int cols) {
        try {
            return Weight.of(t.name(), t.type(), rows, cols, file.data(t));
        } catch (IllegalArgumentException e) {
            throw fail(e.getMessage());
        }
    }

    private FloatArray vector(String name, int length) {
        GgufTensorInfo t = require(name, length);
        MemorySegment data = file.data(t);
        return switch (t.type()) {
            case F32 -> new FloatArray(data);
            case F16, BF16 -> {
                FloatArray f = FloatArray.allocate(arena, length);
                for (int i = 0; i < length; i++) {
                    short bits = data.get(ValueLayout.JAVA_SHORT_UNALIGNED, 2L * i);
                    f.set(i, t.type() == GgufTensorType.F16 ? Float.float16ToFloat(bits)
                            : Float.intBitsToFloat((bits & 0xFFFF) << 16));
                }
                yield f;
            }
            default -> throw fail("vector " + name + " has type " + t.type() + "; expected F32, F16 or BF16");
        };
    }
}
