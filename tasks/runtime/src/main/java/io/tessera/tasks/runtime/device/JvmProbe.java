package io.tessera.tasks.runtime.device;

import java.lang.management.ManagementFactory;
import java.util.List;

/** The JVM device: the host's cores and memory, with the Vector API's preferred width. */
final class JvmProbe {
    private JvmProbe() {
    }

    /** Work-items per group on the JVM: a group with barriers runs one virtual thread per item. */
    static final int MAX_WORK_GROUP = 1024;

    static BackendReport probe() {
        int cores = Runtime.getRuntime().availableProcessors();
        long heap = Runtime.getRuntime().maxMemory();
        long physical = physicalMemory();
        String name = "JVM, " + cores + " cores, heap " + DeviceInfo.bytes(heap) + ", " + vectorWidth();
        DeviceInfo jvm = new DeviceInfo("jvm", List.of(), "jvm", name, System.getProperty("java.vendor"),
                Runtime.version().toString(), cores, physical > 0 ? physical : heap, 0,
                physical > 0 ? physical : heap, MAX_WORK_GROUP, true, true, false, List.of("jvm"));
        return BackendReport.available("jvm", List.of(jvm));
    }

    private static String vectorWidth() {
        try {
            return "Vector API " + jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit";
        } catch (LinkageError e) {
            return "no Vector API (module jdk.incubator.vector not added)";
        }
    }

    /** Off-heap arrays live in physical memory, which the heap limit does not bound. */
    private static long physicalMemory() {
        try {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return os.getTotalMemorySize();
            }
        } catch (LinkageError e) {
            return -1;
        }
        return -1;
    }
}
