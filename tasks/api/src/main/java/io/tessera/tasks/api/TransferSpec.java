package io.tessera.tasks.api;

import java.util.Objects;

/** A declared transfer of one array, host to device or device to host. */
public record TransferSpec(DataTransferMode mode, TypedArray array) {
    public TransferSpec {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(array, "array");
    }
}
