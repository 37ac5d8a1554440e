package io.tessera.tasks.runtime;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.runtime.device.Devices;
import java.lang.foreign.Arena;
import java.util.SplittableRandom;

/** Helpers shared by the runtime's tests. */
final class TestDevices {
    private TestDevices() {
    }

    /** Skips the test, with the reason, when the device is not available here. */
    static void assumeDevice(String selector) {
        boolean present = Devices.all().stream()
                .anyMatch(d -> d.selector().equals(selector) || d.aliases().contains(selector));
        assumeTrue(present, () -> selector + " is not available here: " + Devices.describe());
    }

    static FloatArray random(long n, long seed) {
        FloatArray a = FloatArray.allocate(n);
        SplittableRandom r = new SplittableRandom(seed);
        for (long i = 0; i < n; i++) {
            a.set(i, (float) (r.nextDouble() * 2 - 1));
        }
        return a;
    }

    /** An array whose address is 4 bytes off any 8-byte boundary, so OpenCL devices must copy it. */
    static FloatArray unaligned(long n) {
        return new FloatArray(Arena.ofAuto().allocate(n * 4 + 4, 64).asSlice(4, n * 4));
    }

    /** An array aligned for zero-copy use on CPU OpenCL devices (their base-address alignment is at most 128). */
    static FloatArray aligned(long n) {
        return new FloatArray(Arena.ofAuto().allocate(n * 4, 128));
    }
}
