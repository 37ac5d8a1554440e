package io.tessera.tasks.runtime.opencl;

import io.tessera.tasks.api.TaskExecutionException;
import io.tessera.tasks.api.TaskSpec;
import io.tessera.tasks.api.WorkerGrid;
import io.tessera.tasks.runtime.device.DeviceInfo;
import io.tessera.tasks.runtime.kernel.KernelModel;
import java.util.Arrays;

/**
 * The ND-range of one launch. Given a WorkerGrid it is used as is; otherwise the global size is
 * each parallel dimension's iteration count rounded up to a default work-group size. Rounding up
 * is safe because back ends emit parallel loops as grid-stride loops.
 *
 * @param local null when the driver chooses
 */
record ClGrid(long[] global, long[] local) {
    private static final long[][] DEFAULT_LOCAL = {{64}, {8, 8}, {4, 4, 4}};

    static ClGrid of(TaskSpec task, KernelModel model, WorkerGrid grid, DeviceInfo device) {
        if (grid != null) {
            long[] global = new long[grid.dimensions()];
            long[] local = grid.hasLocal() ? new long[grid.dimensions()] : null;
            for (int d = 0; d < global.length; d++) {
                global[d] = grid.global(d);
                if (local != null) {
                    local[d] = grid.local(d);
                }
            }
            return new ClGrid(global, local);
        }
        if (model.contextParameter() >= 0) {
            throw new TaskExecutionException(task.qualifiedName(), device.selector(), "task " + task.qualifiedName()
                    + " takes a KernelContext and needs a WorkerGrid: plan.withGridScheduler(new GridScheduler(\""
                    + task.qualifiedName() + "\", WorkerGrid.of(...)))");
        }
        long[] iterations = model.parallelIterations(task.arguments().toArray());
        if (iterations.length == 0) {
            return new ClGrid(new long[] {1}, new long[] {1});
        }
        long[] local = DEFAULT_LOCAL[iterations.length - 1].clone();
        while (Arrays.stream(local).reduce(1, (a, b) -> a * b) > device.maxWorkGroupSize()) {
            local[0] = Math.max(1, local[0] / 2);
        }
        long[] global = new long[iterations.length];
        for (int d = 0; d < global.length; d++) {
            global[d] = roundUp(Math.max(1, iterations[d]), local[d]);
        }
        return new ClGrid(global, local);
    }

    private static long roundUp(long n, long multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }

    @Override
    public String toString() {
        return "global " + Arrays.toString(global) + ", local " + (local == null ? "device's choice" : Arrays.toString(local));
    }
}
