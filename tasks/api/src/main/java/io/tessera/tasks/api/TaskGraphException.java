package io.tessera.tasks.api;

/** A task graph that cannot be built as written: wrong kernel reference, arguments or transfers. */
public final class TaskGraphException extends IllegalArgumentException {
    public TaskGraphException(String message) {
        super(message);
    }

    public TaskGraphException(String message, Throwable cause) {
        super(message, cause);
    }
}
