package io.tessera.tasks.compiler.ir;

/** A kernel's IR is missing, corrupt or of another format version. */
public final class KernelIrException extends RuntimeException {
    public KernelIrException(String message) {
        super(message);
    }

    public KernelIrException(String message, Throwable cause) {
        super(message, cause);
    }
}
