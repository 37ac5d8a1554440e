package io.tessera.tasks.compiler.testkernels;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.IntArray;
import io.tessera.tasks.api.Kernel;
import io.tessera.tasks.api.KernelContext;

/** Explicit kernels: ids, local memory and barriers. */
public final class ContextKernels {
    public static final int GROUP = 64;

    private ContextKernels() {
    }

    /** partial[g] = sum of group g's slice of {@code in}, by a tree reduction in local memory. */
    @Kernel
    public static void reduceSum(FloatArray in, FloatArray partial, KernelContext context) {
        float[] scratch = context.allocateFloatLocalArray(GROUP);
        int gid = context.globalId(0);
        int lid = context.localId(0);
        scratch[lid] = gid < in.length() ? in.get(gid) : 0f;
        context.localBarrier();
        for (int stride = context.localSize(0) / 2; stride > 0; stride >>= 1) {
            if (lid < stride) {
                scratch[lid] += scratch[lid + stride];
            }
            context.localBarrier();
        }
        if (lid == 0) {
            partial.set(context.groupId(0), scratch[0]);
        }
    }

    /** Writes each work-item's ids, to check the mapping of the queries. */
    @Kernel
    public static void ids(IntArray out, KernelContext context) {
        int[] counts = context.allocateIntLocalArray(4);
        int g = context.globalId(0);
        if (context.localId(0) == 0) {
            counts[0] = context.numGroups(0);
        }
        context.localBarrier();
        out.set(g * 4L, context.localId(0));
        out.set(g * 4L + 1, context.groupId(0));
        out.set(g * 4L + 2, context.globalSize(0) * 1000 + context.localSize(0));
        out.set(g * 4L + 3, counts[0]);
    }
}
