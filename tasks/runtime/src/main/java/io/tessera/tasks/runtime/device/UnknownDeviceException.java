package io.tessera.tasks.runtime.device;

/** A selector or alias that names no available device; the message lists the valid ones. */
public final class UnknownDeviceException extends IllegalArgumentException {
    public UnknownDeviceException(String message) {
        super(message);
    }
}
