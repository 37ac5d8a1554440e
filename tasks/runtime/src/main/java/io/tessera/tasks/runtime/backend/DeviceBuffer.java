package io.tessera.tasks.runtime.backend;

import io.tessera.tasks.api.TypedArray;

/** The device memory behind one typed array on one device. */
public interface DeviceBuffer {
    TypedArray array();

    String device();

    /** True when the device works on the host array's own memory. */
    boolean zeroCopy();

    void release();
}
