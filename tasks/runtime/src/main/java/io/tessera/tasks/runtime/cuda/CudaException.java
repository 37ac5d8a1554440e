package io.tessera.tasks.runtime.cuda;

/** A CUDA driver call that returned an error: the call, the {@code CUresult} and its name and text. */
public class CudaException extends RuntimeException {
    private final String call;
    private final int result;
    private final String resultName;
    private final String detail;

    public CudaException(String call, int result, String resultName, String description, String detail) {
        super(call + " failed: " + resultName + " (" + result + ")" + (description == null ? "" : ": " + description)
                + (detail == null || detail.isBlank() ? "" : "\n" + detail.strip()));
        this.call = call;
        this.result = result;
        this.resultName = resultName;
        this.detail = detail;
    }

    /** What the driver said beyond the result, such as the JIT's error log; null when nothing. */
    public String detail() {
        return detail;
    }

    /** The driver function that failed, e.g. {@code cuModuleLoadDataEx}. */
    public String call() {
        return call;
    }

    /** The {@code CUresult} code. */
    public int result() {
        return result;
    }

    /** The {@code CUresult} name from {@code cuGetErrorName}, e.g. {@code CUDA_ERROR_INVALID_PTX}. */
    public String resultName() {
        return resultName;
    }
}
