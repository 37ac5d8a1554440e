package io.tessera.tasks.runtime.device;

/** An OpenCL call that returned an error status. */
public final class OpenClException extends RuntimeException {
    private final int status;

    public OpenClException(String call, int status) {
        super(call + " failed: " + ClErrors.name(status));
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** Throws unless {@code status} is CL_SUCCESS. */
    public static void check(String call, int status) {
        if (status != 0) {
            throw new OpenClException(call, status);
        }
    }
}
