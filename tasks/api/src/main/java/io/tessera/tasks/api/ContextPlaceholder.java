package io.tessera.tasks.api;

/** Stands for a task's {@link KernelContext} argument; it is never seen by a running kernel. */
final class ContextPlaceholder implements KernelContext {
    private static UnsupportedOperationException unusable() {
        return new UnsupportedOperationException("TaskGraph.KERNEL_CONTEXT only marks the context argument of "
                + "a task; the runtime passes the real context to the kernel");
    }

    @Override
    public int globalId(int dim) {
        throw unusable();
    }

    @Override
    public int localId(int dim) {
        throw unusable();
    }

    @Override
    public int groupId(int dim) {
        throw unusable();
    }

    @Override
    public int globalSize(int dim) {
        throw unusable();
    }

    @Override
    public int localSize(int dim) {
        throw unusable();
    }

    @Override
    public int numGroups(int dim) {
        throw unusable();
    }

    @Override
    public void localBarrier() {
        throw unusable();
    }

    @Override
    public void globalBarrier() {
        throw unusable();
    }

    @Override
    public float[] allocateFloatLocalArray(int length) {
        throw unusable();
    }

    @Override
    public int[] allocateIntLocalArray(int length) {
        throw unusable();
    }

    @Override
    public String toString() {
        return "KERNEL_CONTEXT";
    }
}
