package io.tessera.tasks.kernels;

import java.util.SplittableRandom;

import io.tessera.tasks.api.BFloat16Array;
import io.tessera.tasks.api.ByteArray;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.HalfArray;
import io.tessera.tasks.api.TypedArray;

/**
 * A random [n][k] weight matrix of one type, with the values that the test's own decoders read
 * back from it; the matrix kernels are checked against the double product of those values.
 */
record TestWeights(Type type, TypedArray array, double[] values, int n, int k) {

    enum Type { F32, F16, BF16, Q8_0, Q4_0 }

    static TestWeights random(Type type, SplittableRandom rnd, int n, int k) {
        long count = (long) n * k;
        return switch (type) {
            case F32 -> {
                FloatArray a = TestArrays.floats(rnd, count, 1);
                yield new TestWeights(type, a, TestArrays.toDoubles(a), n, k);
            }
            case F16 -> {
                HalfArray a = TestArrays.halves(rnd, count, 1);
                yield new TestWeights(type, a, TestArrays.toDoubles(a), n, k);
            }
            case BF16 -> {
                BFloat16Array a = TestArrays.bfloat16s(rnd, count, 1);
                yield new TestWeights(type, a, TestArrays.toDoubles(a), n, k);
            }
            case Q8_0 -> {
                float[] raw = TestArrays.floats(rnd, count, 1).toArray();
                ByteArray a = QuantCodec.encodeQ8_0(raw);
                yield new TestWeights(type, a, widen(QuantCodec.decodeQ8_0(a, (int) count)), n, k);
            }
            case Q4_0 -> {
                float[] raw = TestArrays.floats(rnd, count, 1).toArray();
                ByteArray a = QuantCodec.encodeQ4_0(raw);
                yield new TestWeights(type, a, widen(QuantCodec.decodeQ4_0(a, (int) count)), n, k);
            }
        };
    }

    private static double[] widen(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** y[t][i] = sum_j W[i][j] x[t][j] in double. */
    double[] product(FloatArray x, int tokens) {
        double[] y = new double[tokens * n];
        for (int t = 0; t < tokens; t++) {
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < k; j++) {
                    s += values[i * k + j] * x.get((long) t * k + j);
                }
                y[t * n + i] = s;
            }
        }
        return y;
    }

    void matVec(FloatArray x, FloatArray y) {
        switch (type) {
            case F32 -> MatVec.matVecF32((FloatArray) array, x, y, n, k);
            case F16 -> MatVec.matVecF16((HalfArray) array, x, y, n, k);
            case BF16 -> MatVec.matVecBF16((BFloat16Array) array, x, y, n, k);
            case Q8_0 -> MatVec.matVecQ8_0((ByteArray) array, x, y, n, k);
            case Q4_0 -> MatVec.matVecQ4_0((ByteArray) array, x, y, n, k);
        }
    }

    void matVecVec(FloatArray x, FloatArray y, int from, int to) {
        switch (type) {
            case F32 -> MatVec.matVecF32Vec((FloatArray) array, x, y, n, k, from, to);
            case F16 -> MatVec.matVecF16Vec((HalfArray) array, x, y, n, k, from, to);
            case BF16 -> MatVec.matVecBF16Vec((BFloat16Array) array, x, y, n, k, from, to);
            case Q8_0 -> MatVec.matVecQ8_0Vec((ByteArray) array, x, y, n, k, from, to);
            case Q4_0 -> MatVec.matVecQ4_0Vec((ByteArray) array, x, y, n, k, from, to);
        }
    }

    void matMul(FloatArray x, FloatArray y, int tokens) {
        switch (type) {
            case F32 -> MatMul.matMulF32((FloatArray) array, x, y, tokens, n, k);
            case F16 -> MatMul.matMulF16((HalfArray) array, x, y, tokens, n, k);
            case BF16 -> MatMul.matMulBF16((BFloat16Array) array, x, y, tokens, n, k);
            case Q8_0 -> MatMul.matMulQ8_0((ByteArray) array, x, y, tokens, n, k);
            case Q4_0 -> MatMul.matMulQ4_0((ByteArray) array, x, y, tokens, n, k);
        }
    }

    void matMulVec(FloatArray x, FloatArray y, int tokens, int from, int to) {
        switch (type) {
            case F32 -> MatMul.matMulF32Vec((FloatArray) array, x, y, tokens, n, k, from, to);
            case F16 -> MatMul.matMulF16Vec((HalfArray) array, x, y, tokens, n, k, from, to);
            case BF16 -> MatMul.matMulBF16Vec((BFloat16Array) array, x, y, tokens, n, k, from, to);
            case Q8_0 -> MatMul.matMulQ8_0Vec((ByteArray) array, x, y, tokens, n, k, from, to);
            case Q4_0 -> MatMul.matMulQ4_0Vec((ByteArray) array, x, y, tokens, n, k, from, to);
        }
    }

    boolean quantised() {
        return type == Type.Q8_0 || type == Type.Q4_0;
    }
}
