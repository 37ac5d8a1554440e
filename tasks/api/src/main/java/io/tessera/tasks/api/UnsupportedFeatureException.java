package io.tessera.tasks.api;

/**
 * A kernel needs a capability its device lacks (double precision, half-precision arithmetic, ...):
 * the task cannot run there, and nothing runs it elsewhere instead.
 */
public final class UnsupportedFeatureException extends TaskExecutionException {
    private static final long serialVersionUID = 1L;

    public UnsupportedFeatureException(String task, String device, String message) {
        super(task, device, message);
    }
}
