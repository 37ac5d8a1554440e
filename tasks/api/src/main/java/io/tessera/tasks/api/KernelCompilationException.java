package io.tessera.tasks.api;

/** A kernel that the device's compiler rejected; {@link #buildLog()} holds the driver's log. */
public final class KernelCompilationException extends TaskExecutionException {
    private final String buildLog;

    public KernelCompilationException(String task, String device, String message, String buildLog) {
        super(task, device, message + (buildLog == null || buildLog.isBlank() ? "" : "\n" + buildLog.strip()));
        this.buildLog = buildLog;
    }

    public String buildLog() {
        return buildLog;
    }
}
