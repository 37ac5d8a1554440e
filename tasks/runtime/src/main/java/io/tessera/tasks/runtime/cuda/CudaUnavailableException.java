package io.tessera.tasks.runtime.cuda;

/** The CUDA driver cannot be used on this machine; the message says why, in one line. */
public class CudaUnavailableException extends RuntimeException {
    public CudaUnavailableException(String reason) {
        super(reason);
    }

    public CudaUnavailableException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
