package io.tessera.tasks.api.spi;

import io.tessera.tasks.api.Device;
import io.tessera.tasks.api.ImmutableTaskGraph;
import io.tessera.tasks.api.TypedArray;
import java.util.List;

/**
 * What the API needs from a runtime: device selection and plan execution. The runtime module
 * provides it as a {@link java.util.ServiceLoader} service.
 */
public interface TaskRuntime {
    /** Resolves a selector or alias to an available device, or throws naming the valid ones. */
    Device select(String selectorOrAlias);

    /** The available devices. */
    List<Device> devices();

    /** Prepares the execution of {@code graphs}; device resources are taken lazily. */
    PlanExecutor open(List<ImmutableTaskGraph> graphs);

    /** Frees the buffers that closed plans persisted for these arrays; returns how many were freed. */
    int releasePersisted(List<TypedArray> arrays);
}
