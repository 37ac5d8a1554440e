package io.tessera.tasks.runtime.plan;

import io.tessera.tasks.api.TransferStats;

/** Accumulates transfers in one direction. */
final class Transfers {
    private int count;
    private long bytes;
    private long nanos;

    void add(long copiedBytes, long elapsedNanos) {
        count++;
        bytes += copiedBytes;
        nanos += elapsedNanos;
    }

    TransferStats stats() {
        return new TransferStats(count, bytes, nanos);
    }
}
