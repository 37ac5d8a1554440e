package io.tessera.tasks.api.spi;

import io.tessera.tasks.api.ExecutionProfile;
import io.tessera.tasks.api.TransferStats;
import io.tessera.tasks.api.TypedArray;
import java.util.List;

/** The runtime's side of one {@link io.tessera.tasks.api.ExecutionPlan}. */
public interface PlanExecutor extends AutoCloseable {
    /** Compiles every task of the given graphs for its device and allocates their buffers. */
    void warmUp(List<Integer> graphs, PlanSettings settings);

    /** Executes the given graphs (indices into the plan's graphs) in order. */
    ExecutionProfile execute(List<Integer> graphs, PlanSettings settings);

    /** Copies the arrays from the device that holds them now; arrays on the host are skipped. */
    TransferStats transferToHost(List<TypedArray> arrays);

    /** Copies the arrays to the devices of the tasks that use them, allocating buffers as needed. */
    TransferStats transferToDevice(List<TypedArray> arrays, PlanSettings settings);

    /** Frees the plan's device buffers, except those persisted for later graphs. */
    @Override
    void close();
}
