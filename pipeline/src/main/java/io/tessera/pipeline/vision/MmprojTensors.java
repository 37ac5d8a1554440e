package io.tessera.pipeline.vision;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

import io.tessera.pipeline.gguf.GgufFile;
import io.tessera.pipeline.gguf.GgufTensorInfo;
import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.model.Weight;
import io.tessera.tasks.api.FloatArray;

/**
 * Finds, checks and views the tensors of one part of an mmproj file (a vision or an audio
 * encoder), naming the file, the tensor and the part in every error. Matrices stay in the file's
 * format; vectors are F32 views, or F32 copies in {@code arena} of F16/BF16 tensors.
 *
 * @param file  the mmproj file
 * @param arena where widened copies live
 * @param part  what the part is, for error messages ("projector gemma3", "audio projector gemma4a")
 */
public record MmprojTensors(GgufFile file, Arena arena, String part) {

    public MmprojFormatException error(String problem) {
        return new MmprojFormatException(file.path().toString(), problem + " (" + part + ")");
    }

    /** The tensor {@code name} with ggml dims {@code dims}, or null when absent and not required. */
    public GgufTensorInfo find(String name, boolean required, long... dims) {
        GgufTensorInfo t = file.tensor(name).orElse(null);
        if (t == null) {
            if (required) {
                throw error("missing tensor " + name);
            }
            return null;
        }
        if (!Arrays.equals(t.dims(), dims)) {
            throw error("tensor " + name + " has shape " + Arrays.toString(t.dims()) + ", expected "
                    + Arrays.toString(dims));
        }
        return t;
    }

    /** A (rows, cols) matrix, ggml [cols, rows]. */
    public Weight matrix(String name, int rows, int cols) {
        GgufTensorInfo t = find(name, true, cols, rows);
        if ((t.type() == GgufTensorType.Q8_0 || t.type() == GgufTensorType.Q4_0) && cols % 32 != 0) {
            throw error("tensor " + name + " is " + t.type() + " with rows of " + cols
                    + " values, not a whole number of 32-value blocks");
        }
        try {
            return Weight.of(name, t.type(), rows, cols, file.data(t));
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    /** A conv weight ggml [P, P, 3, D] as a (D, 3 P P) matrix: the same memory. */
    public Weight patchConv(String name, int patch, int hidden) {
        GgufTensorInfo t = find(name, true, patch, patch, 3, hidden);
        return switch (t.type()) {
            case F32, F16, BF16 -> Weight.of(name, t.type(), hidden, 3 * patch * patch, file.data(t));
            default -> throw error("tensor " + name + " has type " + t.type() + "; expected F32, F16 or BF16");
        };
    }

    /** A vector of {@code length}, F32, or null when absent and not required. */
    public FloatArray vector(String name, int length, boolean required) {
        return floats(name, required, length);
    }

    /** An F32 view (or widened copy) of a tensor of the given ggml dims, or null when absent and not required. */
    public FloatArray floats(String name, boolean required, long... dims) {
        GgufTensorInfo t = find(name, required, dims);
        return t == null ? null : floats(name, t);
    }

    /** An F32 view (or widened copy) of the whole of tensor {@code t}. */
    public FloatArray floats(String name, GgufTensorInfo t) {
        long length = t.elementCount();
        MemorySegment data = file.data(t);
        return switch (t.type()) {
            case F32 -> new FloatArray(data);
            case F16, BF16 -> {
                FloatArray f = FloatArray.allocate(arena, length);
                for (long i = 0; i < length; i++) {
                    short bits = data.get(ValueLayout.JAVA_SHORT_UNALIGNED, 2L * i);
                    f.set(i, t.type() == GgufTensorType.F16 ? Float.float16ToFloat(bits)
                            : Float.intBitsToFloat((bits & 0xFFFF) << 16));
                }
                yield f;
            }
            default -> throw error("tensor " + name + " has type " + t.type() + "; expected F32, F16 or BF16");
        };
    }
}
