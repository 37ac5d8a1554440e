package io.tessera.tasks.runtime.jvm;

import io.tessera.tasks.api.Kernel;
import io.tessera.tasks.api.TaskExecutionException;
import io.tessera.tasks.api.TaskProfile;
import io.tessera.tasks.api.TaskSpec;
import io.tessera.tasks.api.TypedArray;
import io.tessera.tasks.api.WorkerGrid;
import io.tessera.tasks.runtime.backend.DeviceBackend;
import io.tessera.tasks.runtime.backend.DeviceBuffer;
import io.tessera.tasks.runtime.backend.PreparedKernel;
import io.tessera.tasks.runtime.device.DeviceInfo;
import io.tessera.tasks.runtime.kernel.KernelModel;
import io.tessera.tasks.runtime.kernel.KernelModels;
import io.tessera.tasks.runtime.kernel.SlicedKernel;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The JVM backend: the host's memory is the device memory, and kernels run on the worker pool.
 * Loop-parallel kernels run their {@code (args..., from, to)} form per slice of dimension 0: the
 * hand-written {@code @Kernel(jvm = ...)} method when one is named, else the generated one.
 */
public final class JvmBackend implements DeviceBackend {
    private final DeviceInfo info;
    private final WorkerPool pool = WorkerPool.shared();

    public JvmBackend(DeviceInfo info) {
        this.info = info;
    }

    @Override
    public DeviceInfo info() {
        return info;
    }

    @Override
    public DeviceBuffer allocate(TypedArray array) {
        return new JvmBuffer(array);
    }

    @Override
    public long copyToDevice(DeviceBuffer buffer) {
        return 0;
    }

    @Override
    public long copyToHost(DeviceBuffer buffer) {
        return 0;
    }

    @Override
    public PreparedKernel prepare(TaskSpec task, Map<Integer, Object> constants) {
        Method method = task.kernel();
        Optional<KernelModel> model = KernelModels.find(method);
        int context = contextIndex(method);
        if (context >= 0) {
            return new JvmKernel.Explicit(new Invoker(method), context, model.map(KernelModel::hasBarriers).orElse(true));
        }
        if (model.isEmpty() || model.get().parallelIterations(task.arguments().toArray()).length == 0) {
            return new JvmKernel.Whole(new Invoker(method));
        }
        String vectorised = method.getAnnotation(Kernel.class).jvm();
        if (!vectorised.isEmpty()) {
            Invoker impl = new Invoker(sliceMethod(task, vectorised));
            int n = method.getParameterCount();
            SlicedKernel slices = (args, from, to) -> {
                Object[] withRange = java.util.Arrays.copyOf(args, n + 2);
                withRange[n] = from;
                withRange[n + 1] = to;
                impl.invoke(withRange);
            };
            return new JvmKernel.Sliced(model.get(), slices, vectorised);
        }
        Optional<SlicedKernel> generated;
        try {
            generated = model.get().jvmSlices();
        } catch (RuntimeException e) {
            throw new TaskExecutionException(task.qualifiedName(), info.selector(), "kernel " + task.kernelName()
                    + location(task) + " of task " + task.qualifiedName() + " has no JVM form: " + e.getMessage(), e);
        }
        return generated.<PreparedKernel>map(s -> new JvmKernel.Sliced(model.get(), s, "generated"))
                .orElseGet(() -> new JvmKernel.Whole(new Invoker(method)));
    }

    @Override
    public TaskProfile launch(PreparedKernel prepared, TaskSpec task, List<DeviceBuffer> buffers, WorkerGrid grid) {
        Object[] args = task.arguments().toArray();
        long start = System.nanoTime();
        try {
            switch ((JvmKernel) prepared) {
                case JvmKernel.Whole w -> w.method().invoke(args);
                case JvmKernel.Sliced s -> runSliced(task, s, args);
                case JvmKernel.Explicit e -> runExplicit(task, e, args, grid);
            }
        } catch (TaskExecutionException e) {
            throw e;
        } catch (RuntimeException | Error e) {
            Throwable cause = e instanceof WorkerPool.KernelFailure f ? f.getCause() : e;
            throw new TaskExecutionException(task.qualifiedName(), info.selector(), "task " + task.qualifiedName()
                    + " (kernel " + task.kernelName() + location(task) + ") failed on " + info.selector() + ": "
                    + cause, cause);
        }
        long end = System.nanoTime();
        return new TaskProfile(task.qualifiedName(), info.selector(), start, start, start, end, false);
    }

    private void runSliced(TaskSpec task, JvmKernel.Sliced s, Object[] args) {
        long n = s.model().parallelIterations(args)[0];
        if (n > Integer.MAX_VALUE) {
            throw new TaskExecutionException(task.qualifiedName(), info.selector(), "task " + task.qualifiedName()
                    + ": " + n + " iterations in dimension 0 exceed the JVM form's int range");
        }
        int slices = (int) Math.min(n, pool.size() * 4L);
        if (slices <= 0) {
            return;
        }
        pool.run(slices, i -> s.slices().run(args, (int) (n * i / slices), (int) (n * (i + 1) / slices)));
    }

    private void runExplicit(TaskSpec task, JvmKernel.Explicit e, Object[] args, WorkerGrid grid) {
        if (grid == null) {
            throw new TaskExecutionException(task.qualifiedName(), info.selector(), "task " + task.qualifiedName()
                    + " takes a KernelContext and needs a WorkerGrid: plan.withGridScheduler(new GridScheduler(\""
                    + task.qualifiedName() + "\", WorkerGrid.of(...)))");
        }
        int[] global = new int[3];
        int[] local = new int[3];
        for (int d = 0; d < 3; d++) {
            global[d] = Math.toIntExact(grid.global(d));
            local[d] = grid.hasLocal() ? Math.toIntExact(grid.local(d)) : (d == 0 ? defaultLocal(global[0]) : 1);
        }
        long items = (long) local[0] * local[1] * local[2];
        if (e.barriers() && items > info.maxWorkGroupSize()) {
            throw new TaskExecutionException(task.qualifiedName(), info.selector(), "task " + task.qualifiedName()
                    + ": work-group of " + items + " items exceeds the JVM's " + info.maxWorkGroupSize()
                    + " for kernels with barriers");
        }
        new ExplicitRun(e.method(), args, e.contextIndex(), global, local, e.barriers()).run(pool);
    }

    /** The largest divisor of {@code global} up to 64, as a device would pick for an unspecified local size. */
    private static int defaultLocal(int global) {
        for (int l = Math.min(64, global); l > 1; l--) {
            if (global % l == 0) {
                return l;
            }
        }
        return 1;
    }

    private Method sliceMethod(TaskSpec task, String name) {
        Method kernel = task.kernel();
        Class<?>[] types = Stream.concat(Stream.of(kernel.getParameterTypes()), Stream.of(int.class, int.class))
                .toArray(Class<?>[]::new);
        try {
            return kernel.getDeclaringClass().getDeclaredMethod(name, types);
        } catch (NoSuchMethodException e) {
            throw new TaskExecutionException(task.qualifiedName(), info.selector(), "kernel " + task.kernelName()
                    + " names the JVM implementation '" + name + "', but " + kernel.getDeclaringClass().getSimpleName()
                    + " has no static " + name + "(its parameters..., int from, int to)");
        }
    }

    private static int contextIndex(Method method) {
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            if (types[i] == io.tessera.tasks.api.KernelContext.class) {
                return i;
            }
        }
        return -1;
    }

    private static String location(TaskSpec task) {
        return KernelModels.find(task.kernel()).map(KernelModel::sourceLocation).map(l -> ", " + l).orElse("");
    }
}
