package io.tessera.pipeline.model;

import java.lang.foreign.MemorySegment;

import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.tasks.api.BFloat16Array;
import io.tessera.tasks.api.ByteArray;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.HalfArray;
import io.tessera.tasks.api.IntArray;
import io.tessera.tasks.api.TaskGraph;
import io.tessera.tasks.api.TypedArray;
import io.tessera.tasks.kernels.Embedding;
import io.tessera.tasks.kernels.MatMul;
import io.tessera.tasks.kernels.MatVec;

/**
 * A weight matrix W: [rows][cols] (ggml {@code [ne0 = cols, ne1 = rows]}), a typed-array view of
 * the memory-mapped tensor, one record per storage format. The block layout of each quantised
 * format lives in its kernels ({@link io.tessera.tasks.kernels.Quant}); model code only asks for
 * y = W x through {@link #matVec}, {@link #matMul} and {@link #embed}, which add the task of the
 * right kernel to a graph.
 */
public sealed interface Weight {
    /** The tensor's GGUF name. */
    String name();

    /** Output rows (ggml ne1). */
    int rows();

    /** Input columns (ggml ne0). */
    int cols();

    GgufTensorType type();

    /** The view the kernels read. */
    TypedArray array();

    /** y[rows] = W x[cols], one token. */
    void matVec(TaskGraph graph, String task, FloatArray x, FloatArray y);

    /** y[t][rows] = W x[t][cols] for t &lt; tokens. */
    void matMul(TaskGraph graph, String task, FloatArray x, FloatArray y, int tokens);

    /** out[t] = scale * W[tokens[t]] for t &lt; count: the weight as an embedding table. */
    void embed(TaskGraph graph, String task, IntArray tokens, FloatArray out, int count, float scale);

    /** Bytes of the tensor data. */
    default long byteSize() {
        return array().byteSize();
    }

    /** A view of {@code data} as a weight of the given type. */
    static Weight of(String name, GgufTensorType type, int rows, int cols, MemorySegment data) {
        return switch (type) {
            case F32 -> new F32(name, rows, cols, new FloatArray(data));
            case F16 -> new F16(name, rows, cols, new HalfArray(data));
            case BF16 -> new BF16(name, rows, cols, new BFloat16Array(data));
            case Q8_0 -> new Q8_0(name, rows, cols, new ByteArray(data));
            case Q4_0 -> new Q4_0(name, rows, cols, new ByteArray(data));
            default -> throw new IllegalArgumentException("tensor " + name + " has type " + type
                    + ", which the decoder does not compute with (F32, F16, BF16, Q8_0, Q4_0)");
        };
    }

    record F32(String name, int rows, int cols, FloatArray array) implements Weight {
        @Override
        public GgufTensorType type() {
            return GgufTensorType.F32;
        }

        @Override
        public void matVec(TaskGraph g, String task, FloatArray x, FloatArray y) {
            g.task(task, MatVec::matVecF32, array, x, y, rows, cols);
        }

        @Override
        public void matMul(TaskGraph g, String task, FloatArray x, FloatArray y, int tokens) {
            g.task(task, MatMul::matMulF32, array, x, y, tokens, rows, cols);
        }

        @Override
        public void embed(TaskGraph g, String task, IntArray tokens, FloatArray out, int count, float scale) {
            g.task(task, Embedding::embedF32, array, tokens, out, count, cols, scale);
        }
    }

    record F16(String name, int rows, int cols, HalfArray array) implements Weight {
        @Override
        public GgufTensorType type() {
            return GgufTensorType.F16;
        }

        @Override
        public void matVec(TaskGraph g, String task, FloatArray x, FloatArray y) {
            g.task(task, MatVec::matVecF16, array, x, y, rows, cols);
        }

        @Override
        public void matMul(TaskGraph g, String task, FloatArray x, FloatArray y, int tokens) {
            g.task(task, MatMul::matMulF16, array, x, y, tokens, rows, cols);
        }

        @Override
        public void embed(TaskGraph g, String task, IntArray tokens, FloatArray out, int count, float scale) {
            g.task(task, Embedding::embedF16, array, tokens, out, count, cols, scale);
        }
    }

    record BF16(String name, int rows, int cols, BFloat16Array array) implements Weight {
        @Override
        public GgufTensorType type() {
            return GgufTensorType.BF16;
        }

        @Override
        public void matVec(TaskGraph g, String task, FloatArray x, FloatArray y) {
            g.task(task, MatVec::matVecBF16, array, x, y, rows, cols);
        }

        @Override
        public void matMul(TaskGraph g, String task, FloatArray x, FloatArray y, int tokens) {
            g.task(task, MatMul::matMulBF16, array, x, y, tokens, rows, cols);
        }

        @Override
        public void embed(TaskGraph g, String task, IntArray tokens, FloatArray out, int count, float scale) {
            g.task(task, Embedding::embedBF16, array, tokens, out, count, cols, scale);
        }
    }

    record Q8_0(String name, int rows, int cols, ByteArray array) implements Weight {
        @Override
        public GgufTensorType type() {
            return GgufTensorType.Q8_0;
        }

        @Override
        public void matVec(TaskGraph g, String task, FloatArray x, FloatArray y) {
            g.task(task, MatVec::matVecQ8_0, array, x, y, rows, cols);
        }

        @Override
        public void matMul(TaskGraph g, String task, FloatArray x, FloatArray y, int tokens) {
            g.task(task, MatMul::matMulQ8_0, array, x, y, tokens, rows, cols);
        }

        @Override
        public void embed(TaskGraph g, String task, IntArray tokens, FloatArray out, int count, float scale) {
            g.task(task, Embedding::embedQ8_0, array, tokens, out, count, cols, scale);
        }
    }

    record Q4_0(String name, int rows, int cols, ByteArray array) implements Weight {
        @Override
        public GgufTensorType type() {
            return GgufTensorType.Q4_0;
        }

        @Override
        public void matVec(TaskGraph g, String task, FloatArray x, FloatArray y) {
            g.task(task, MatVec::matVecQ4_0, array, x, y, rows, cols);
        }

        @Override
        public void matMul(TaskGraph g, String task, FloatArray x, FloatArray y, int tokens) {
            g.task(task, MatMul::matMulQ4_0, array, x, y, tokens, rows, cols);
        }

        @Override
        public void embed(TaskGraph g, String task, IntArray tokens, FloatArray out, int count, float scale) {
            g.task(task, Embedding::embedQ4_0, array, tokens, out, count, cols, scale);
        }
    }
}
