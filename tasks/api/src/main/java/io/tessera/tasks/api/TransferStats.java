package io.tessera.tasks.api;

/**
 * Transfers in one direction: {@code count} is the number of array transfers the data-transfer
 * modes asked for, {@code bytes} the bytes actually copied. They differ where the device works on
 * host memory (the JVM, zero-copy buffers on CPU OpenCL devices): the transfer is then a
 * synchronisation that moves nothing.
 */
public record TransferStats(int count, long bytes, long nanos) {
    public static final TransferStats NONE = new TransferStats(0, 0, 0);

    public TransferStats plus(TransferStats other) {
        return new TransferStats(count + other.count, bytes + other.bytes, nanos + other.nanos);
    }

    String json() {
        return "{\"count\":" + count + ",\"bytes\":" + bytes + ",\"nanos\":" + nanos + "}";
    }
}
