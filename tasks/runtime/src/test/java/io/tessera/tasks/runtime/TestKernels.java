package io.tessera.tasks.runtime;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.IntArray;
import io.tessera.tasks.api.Kernel;
import io.tessera.tasks.api.KernelContext;
import io.tessera.tasks.api.Parallel;
import io.tessera.tasks.runtime.kernel.HandwrittenKernel;
import io.tessera.tasks.runtime.kernel.KernelModels;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Kernels for the runtime's tests, with hand-written OpenCL C for the OpenCL backend. */
public final class TestKernels {
    private TestKernels() {
    }

    /** The [from, to) slices the vectorised form of {@link #scale} was called with. */
    public static final Set<String> SCALE_SLICES = ConcurrentHashMap.newKeySet();

    @Kernel(jvm = "scaleSlices")
    public static void scale(FloatArray x, FloatArray y, float factor, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            y.set(i, x.get(i) * factor);
        }
    }

    public static void scaleSlices(FloatArray x, FloatArray y, float factor, int n, int from, int to) {
        SCALE_SLICES.add(from + ":" + to);
        for (int i = from; i < to; i++) {
            y.set(i, x.get(i) * factor);
        }
    }

    @Kernel
    public static void add(FloatArray a, FloatArray b, FloatArray c, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            c.set(i, a.get(i) + b.get(i));
        }
    }

    @Kernel
    public static void increment(FloatArray x, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            x.set(i, x.get(i) + 1f);
        }
    }

    /** Sums each work-group's slice of {@code in} into {@code out[group]} by tree reduction in local memory. */
    @Kernel
    public static void groupSum(KernelContext ctx, FloatArray in, FloatArray out) {
        float[] scratch = ctx.allocateFloatLocalArray(64);
        int lid = ctx.localId(0);
        scratch[lid] = in.get(ctx.globalId(0));
        ctx.localBarrier();
        for (int s = ctx.localSize(0) / 2; s > 0; s >>= 1) {
            if (lid < s) {
                scratch[lid] += scratch[lid + s];
            }
            ctx.localBarrier();
        }
        if (lid == 0) {
            out.set(ctx.groupId(0), scratch[0]);
        }
    }

    /** Writes an encoding of each work-item's ids: no barriers, two dimensions. */
    @Kernel
    public static void ids(KernelContext ctx, IntArray out, int width) {
        int x = ctx.globalId(0);
        int y = ctx.globalId(1);
        out.set(y * width + x, ctx.groupId(0) * 1_000_000 + ctx.groupId(1) * 10_000 + ctx.localId(0) * 100
                + ctx.localId(1));
    }

    /** Not a kernel: graphs must reject it. */
    public static void notAKernel(FloatArray x) {
        x.set(0, 1f);
    }

    @Kernel
    public static void broken(FloatArray x) {
        x.set(0, 1f);
    }

    private static final String SCALE_CL = """
            __kernel void scale(__global float* x, __global float* y, float factor, int n) {
                for (int i = get_global_id(0); i < n; i += get_global_size(0)) {
                    y[i] = x[i] * factor;
                }
            }
            """;
    private static final String ADD_CL = """
            __kernel void add(__global const float* a, __global const float* b, __global float* c, int n) {
                for (int i = get_global_id(0); i < n; i += get_global_size(0)) {
                    c[i] = a[i] + b[i];
                }
            }
            """;
    private static final String INCREMENT_CL = """
            __kernel void increment(__global float* x, int n) {
                for (int i = get_global_id(0); i < n; i += get_global_size(0)) {
                    x[i] = x[i] + 1.0f;
                }
            }
            """;
    private static final String GROUP_SUM_CL = """
            __kernel void groupSum(__global const float* in, __global float* out) {
                __local float scratch[64];
                int lid = get_local_id(0);
                scratch[lid] = in[get_global_id(0)];
                barrier(CLK_LOCAL_MEM_FENCE);
                for (int s = get_local_size(0) / 2; s > 0; s >>= 1) {
                    if (lid < s) {
                        scratch[lid] += scratch[lid + s];
                    }
                    barrier(CLK_LOCAL_MEM_FENCE);
                }
                if (lid == 0) {
                    out[get_group_id(0)] = scratch[0];
                }
            }
            """;
    private static final String IDS_CL = """
            __kernel void ids(__global int* out, int width) {
                int x = get_global_id(0);
                int y = get_global_id(1);
                out[y * width + x] = get_group_id(0) * 1000000 + get_group_id(1) * 10000 + get_local_id(0) * 100
                        + get_local_id(1);
            }
            """;
    private static final String BROKEN_CL = """
            __kernel void broken(__global float* x) {
                x[0] = undeclared_variable;
            }
            """;

    /** Registers the hand-written OpenCL C of every kernel above. */
    public static void register() {
        KernelModels.registerHandwritten(new HandwrittenKernel(method("scale"), "scale", SCALE_CL, false,
                args -> new long[] {(Integer) args[3]}));
        KernelModels.registerHandwritten(new HandwrittenKernel(method("add"), "add", ADD_CL, false,
                args -> new long[] {(Integer) args[3]}));
        KernelModels.registerHandwritten(new HandwrittenKernel(method("increment"), "increment", INCREMENT_CL, false,
                args -> new long[] {(Integer) args[1]}));
        KernelModels.registerHandwritten(new HandwrittenKernel(method("groupSum"), "groupSum", GROUP_SUM_CL, true,
                args -> new long[0]));
        KernelModels.registerHandwritten(new HandwrittenKernel(method("ids"), "ids", IDS_CL, false,
                args -> new long[0]));
        KernelModels.registerHandwritten(new HandwrittenKernel(method("broken"), "broken", BROKEN_CL, false,
                args -> new long[0]));
    }

    static Method method(String name) {
        for (Method m : TestKernels.class.getMethods()) {
            if (m.getName().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException(name);
    }
}
