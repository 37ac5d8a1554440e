package io.tessera.tasks.runtime.kernel;

/** A kernel whose IR was not stored by the build, so no device code can be made for it. */
public final class MissingKernelIrException extends RuntimeException {
    public MissingKernelIrException(String message) {
        super(message);
    }
}
