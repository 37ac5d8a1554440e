package io.tessera.tasks.runtime.backend;

import io.tessera.tasks.api.TaskProfile;
import io.tessera.tasks.api.TaskSpec;
import io.tessera.tasks.api.TypedArray;
import io.tessera.tasks.api.WorkerGrid;
import io.tessera.tasks.runtime.device.DeviceInfo;
import java.util.List;
import java.util.Map;

/**
 * One device as the plan executor drives it: buffers, copies, compilation and launches. Calls for
 * one device come from one plan at a time per buffer; compiled kernels are cached per device.
 */
public interface DeviceBackend {
    DeviceInfo info();

    default String selector() {
        return info().selector();
    }

    /** A device buffer for {@code array}; its contents are not copied. */
    DeviceBuffer allocate(TypedArray array);

    /** Copies the host array into its buffer; returns the bytes actually copied (0 when zero-copy). */
    long copyToDevice(DeviceBuffer buffer);

    /** Copies the buffer back into its host array; returns the bytes actually copied. */
    long copyToHost(DeviceBuffer buffer);

    /** Compiles (or finds in the cache) the task's kernel with {@code constants} folded. */
    PreparedKernel prepare(TaskSpec task, Map<Integer, Object> constants);

    /**
     * Runs the kernel once. {@code buffers} holds the device buffer of each array parameter, in
     * parameter order (null for scalars and the context); {@code grid} is null when the plan gives
     * none for the task.
     */
    TaskProfile launch(PreparedKernel kernel, TaskSpec task, List<DeviceBuffer> buffers, WorkerGrid grid);
}
