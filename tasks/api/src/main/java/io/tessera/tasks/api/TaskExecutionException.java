package io.tessera.tasks.api;

/**
 * A task that could not be compiled for, or run on, its device. The message names the task, the
 * kernel, the device and, when known, the Java source line; there is never a fallback to another
 * device.
 */
public class TaskExecutionException extends RuntimeException {
    private final String task;
    private final String device;

    public TaskExecutionException(String task, String device, String message) {
        super(message);
        this.task = task;
        this.device = device;
    }

    public TaskExecutionException(String task, String device, String message, Throwable cause) {
        super(message, cause);
        this.task = task;
        this.device = device;
    }

    /** {@code graph.task}, or null for plan-wide failures. */
    public String task() {
        return task;
    }

    /** Selector of the device, or null when no device was involved. */
    public String device() {
        return device;
    }
}
