package io.tessera.tasks.runtime.backend;

import io.tessera.tasks.api.TaskExecutionException;

/** A device whose backend cannot run task graphs in this build. */
public final class UnsupportedBackendException extends TaskExecutionException {
    public UnsupportedBackendException(String device, String message) {
        super(null, device, "device " + device + ": " + message);
    }
}
