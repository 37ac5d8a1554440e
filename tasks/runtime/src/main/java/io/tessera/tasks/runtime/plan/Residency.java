package io.tessera.tasks.runtime.plan;

import io.tessera.tasks.api.TypedArray;
import io.tessera.tasks.runtime.backend.DeviceBuffer;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where one array's data is current: on the host, and/or on devices that hold a buffer for it. A
 * kernel that may write the array (by its IR; every array when there is no IR) leaves only its
 * device current; one that only reads it adds its device to the current ones.
 */
final class Residency {
    final TypedArray array;
    final Map<String, DeviceBuffer> buffers = new LinkedHashMap<>();
    final Set<String> currentOn = new HashSet<>();
    boolean hostCurrent = true;

    Residency(TypedArray array) {
        this.array = array;
    }

    /** A device other than {@code except} that holds the current data. */
    Optional<String> currentElsewhere(String except) {
        return currentOn.stream().filter(d -> !d.equals(except)).findFirst();
    }

    void copiedToDevice(String device) {
        currentOn.clear();
        currentOn.add(device);
        hostCurrent = true;
    }

    void writtenOn(String device) {
        currentOn.clear();
        currentOn.add(device);
        hostCurrent = false;
    }
}
