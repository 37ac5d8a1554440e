package io.tessera.tasks.kernels;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.IntArray;
import io.tessera.tasks.api.Kernel;
import io.tessera.tasks.api.KernelContext;

/**
 * Sum and maximum of a long vector in two passes, with work-group reductions in local memory.
 *
 * <pre>
 *   pass 1  sumPartials: x[n]           -> partials[numGroups]   (any 1-D grid)
 *   pass 2  sumFinish:   partials[count] -> out[0]               (exactly one work-group)
 * </pre>
 * and likewise {@code maxPartials}/{@code maxFinish} and {@code argMaxPartials}/{@code argMaxFinish}
 * (greedy sampling: the index of the largest logit, the smallest such index on ties).
 *
 * Work-groups may have any size up to {@link #MAX_GROUP}; the tree reduction folds the upper half
 * of the next power of two onto the lower half, skipping lanes that do not exist. Each work-item
 * first accumulates a grid-stride share of the input, so the result does not depend on the grid
 * (up to float rounding order).
 */
public final class Reduce {
    /** Largest supported work-group size: the size of the local scratch array. */
    public static final int MAX_GROUP = 256;

    private Reduce() {
    }

    /** partials[g] = sum of the grid-stride share of x[0..n) held by work-group g. */
    @Kernel
    public static void sumPartials(KernelContext ctx, FloatArray x, FloatArray partials, int n) {
        float[] scratch = ctx.allocateFloatLocalArray(256);
        int lid = ctx.localId(0);
        float acc = 0.0f;
        for (int i = ctx.globalId(0); i < n; i += ctx.globalSize(0)) {
            acc += x.get(i);
        }
        scratch[lid] = acc;
        ctx.localBarrier();
        int size = ctx.localSize(0);
        for (int stride = half(size); stride > 0; stride = stride / 2) {
            if (lid < stride && lid + stride < size) {
                scratch[lid] = scratch[lid] + scratch[lid + stride];
            }
            ctx.localBarrier();
        }
        if (lid == 0) {
            partials.set(ctx.groupId(0), scratch[0]);
        }
    }

    /** out[0] = sum of partials[0..count); launched as a single work-group. */
    @Kernel
    public static void sumFinish(KernelContext ctx, FloatArray partials, FloatArray out, int count) {
        float[] scratch = ctx.allocateFloatLocalArray(256);
        int lid = ctx.localId(0);
        float acc = 0.0f;
        for (int i = lid; i < count; i += ctx.localSize(0)) {
            acc += partials.get(i);
        }
        scratch[lid] = acc;
        ctx.localBarrier();
        int size = ctx.localSize(0);
        for (int stride = half(size); stride > 0; stride = stride / 2) {
            if (lid < stride && lid + stride < size) {
                scratch[lid] = scratch[lid] + scratch[lid + stride];
            }
            ctx.localBarrier();
        }
        if (lid == 0) {
            out.set(0, scratch[0]);
        }
    }

    /** partials[g] = max of the grid-stride share of x[0..n) held by work-group g (-inf if empty). */
    @Kernel
    public static void maxPartials(KernelContext ctx, FloatArray x, FloatArray partials, int n) {
        float[] scratch = ctx.allocateFloatLocalArray(256);
        int lid = ctx.localId(0);
        float acc = Float.intBitsToFloat(0xFF800000);
        for (int i = ctx.globalId(0); i < n; i += ctx.globalSize(0)) {
            acc = Math.max(acc, x.get(i));
        }
        scratch[lid] = acc;
        ctx.localBarrier();
        int size = ctx.localSize(0);
        for (int stride = half(size); stride > 0; stride = stride / 2) {
            if (lid < stride && lid + stride < size) {
                scratch[lid] = Math.max(scratch[lid], scratch[lid + stride]);
            }
            ctx.localBarrier();
        }
        if (lid == 0) {
            partials.set(ctx.groupId(0), scratch[0]);
        }
    }

    /** out[0] = max of partials[0..count); launched as a single work-group. */
    @Kernel
    public static void maxFinish(KernelContext ctx, FloatArray partials, FloatArray out, int count) {
        float[] scratch = ctx.allocateFloatLocalArray(256);
        int lid = ctx.localId(0);
        float acc = Float.intBitsToFloat(0xFF800000);
        for (int i = lid; i < count; i += ctx.localSize(0)) {
            acc = Math.max(acc, partials.get(i));
        }
        scratch[lid] = acc;
        ctx.localBarrier();
        int size = ctx.localSize(0);
        for (int stride = half(size); stride > 0; stride = stride / 2) {
            if (lid < stride && lid + stride < size) {
                scratch[lid] = Math.max(scratch[lid], scratch[lid + stride]);
            }
            ctx.localBarrier();
        }
        if (lid == 0) {
            out.set(0, scratch[0]);
        }
    }

    /**
     * For each work-group g: partialValues[g] = the largest value of its grid-stride share of
     * x[0..n) and partialIndices[g] = its smallest index (Integer.MAX_VALUE, -inf if the share is
     * empty).
     */
    @Kernel
    public static void argMaxPartials(KernelContext ctx, FloatArray x, FloatArray partialValues,
                                      IntArray partialIndices, int n) {
        float[] values = ctx.allocateFloatLocalArray(256);
        int[] indices = ctx.allocateIntLocalArray(256);
        int lid = ctx.localId(0);
        float best = Float.intBitsToFloat(0xFF800000);
        int bestIndex = 2147483647;
        for (int i = ctx.globalId(0); i < n; i += ctx.globalSize(0)) {
            float v = x.get(i);
            if (v > best || bestIndex == 2147483647) {
                best = v;
                bestIndex = i;
            }
        }
        values[lid] = best;
        indices[lid] = bestIndex;
        ctx.localBarrier();
        int size = ctx.localSize(0);
        for (int stride = half(size); stride > 0; stride = stride / 2) {
            if (lid < stride && lid + stride < size) {
                float other = values[lid + stride];
                int otherIndex = indices[lid + stride];
                if (other > values[lid] || (other == values[lid] && otherIndex < indices[lid])) {
                    values[lid] = other;
                    indices[lid] = otherIndex;
                }
            }
            ctx.localBarrier();
        }
        if (lid == 0) {
            partialValues.set(ctx.groupId(0), values[0]);
            partialIndices.set(ctx.groupId(0), indices[0]);
        }
    }

    /** out[0] = the index of the largest of count partial maxima (smallest index on ties); one work-group. */
    @Kernel
    public static void argMaxFinish(KernelContext ctx, FloatArray partialValues, IntArray partialIndices,
                                    IntArray out, int count) {
        float[] values = ctx.allocateFloatLocalArray(256);
        int[] indices = ctx.allocateIntLocalArray(256);
        int lid = ctx.localId(0);
        float best = Float.intBitsToFloat(0xFF800000);
        int bestIndex = 2147483647;
        for (int i = lid; i < count; i += ctx.localSize(0)) {
            float v = partialValues.get(i);
            int vi = partialIndices.get(i);
            if (v > best || (v == best && vi < bestIndex)) {
                best = v;
                bestIndex = vi;
            }
        }
        values[lid] = best;
        indices[lid] = bestIndex;
        ctx.localBarrier();
        int size = ctx.localSize(0);
        for (int stride = half(size); stride > 0; stride = stride / 2) {
            if (lid < stride && lid + stride < size) {
                float other = values[lid + stride];
                int otherIndex = indices[lid + stride];
                if (other > values[lid] || (other == values[lid] && otherIndex < indices[lid])) {
                    values[lid] = other;
                    indices[lid] = otherIndex;
                }
            }
            ctx.localBarrier();
        }
        if (lid == 0) {
            out.set(0, indices[0]);
        }
    }

    /** Half of the smallest power of two that is at least {@code size}: the first fold stride. */
    static int half(int size) {
        int p = 1;
        while (p < size) {
            p = p * 2;
        }
        return p / 2;
    }
}
