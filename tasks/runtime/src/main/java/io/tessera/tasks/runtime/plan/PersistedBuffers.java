package io.tessera.tasks.runtime.plan;

import io.tessera.tasks.api.TypedArray;
import io.tessera.tasks.runtime.backend.DeviceBuffer;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Device buffers that graphs persisted ({@code persistOnDevice}) and whose plans have closed; a
 * later plan that consumes the array takes the buffer over, and frees it when it closes (unless
 * it persists it again).
 */
final class PersistedBuffers {
    private PersistedBuffers() {
    }

    private static final Map<TypedArray, DeviceBuffer> BUFFERS = new IdentityHashMap<>();

    static synchronized void put(DeviceBuffer buffer) {
        DeviceBuffer previous = BUFFERS.put(buffer.array(), buffer);
        if (previous != null && previous != buffer) {
            previous.release();
        }
    }

    static synchronized Optional<DeviceBuffer> take(TypedArray array) {
        return Optional.ofNullable(BUFFERS.remove(array));
    }
}
