package io.tessera.tasks.runtime.jvm;

import io.tessera.tasks.api.KernelContext;
import java.util.concurrent.Phaser;

/**
 * The KernelContext of one work-item on the JVM. Without barriers one context is reused for the
 * items a worker runs in sequence; with barriers each item has its own, on its own virtual thread,
 * and the group's {@link Phaser} is the barrier.
 */
final class JvmContext implements KernelContext {
    private final int[] globalSize;
    private final int[] localSize;
    private final int[] groupId = new int[3];
    private final int[] localId = new int[3];
    private final Phaser barrier;
    private GroupMemory memory;
    private int allocations;

    JvmContext(int[] globalSize, int[] localSize, Phaser barrier) {
        this.globalSize = globalSize;
        this.localSize = localSize;
        this.barrier = barrier;
    }

    /** Places this context at one work-item; {@code memory} is its group's local memory. */
    void at(int[] group, int lx, int ly, int lz, GroupMemory memory) {
        System.arraycopy(group, 0, groupId, 0, 3);
        localId[0] = lx;
        localId[1] = ly;
        localId[2] = lz;
        this.memory = memory;
        this.allocations = 0;
    }

    @Override
    public int globalId(int dim) {
        return groupId[dim] * localSize[dim] + localId[dim];
    }

    @Override
    public int localId(int dim) {
        return localId[dim];
    }

    @Override
    public int groupId(int dim) {
        return groupId[dim];
    }

    @Override
    public int globalSize(int dim) {
        return globalSize[dim];
    }

    @Override
    public int localSize(int dim) {
        return localSize[dim];
    }

    @Override
    public int numGroups(int dim) {
        return globalSize[dim] / localSize[dim];
    }

    @Override
    public void localBarrier() {
        await();
    }

    @Override
    public void globalBarrier() {
        await();
    }

    private void await() {
        if (barrier == null) {
            throw new IllegalStateException("the kernel reached a barrier but was run without barrier support "
                    + "(its IR says it has none)");
        }
        if (barrier.arriveAndAwaitAdvance() < 0) {
            throw new GroupAborted();
        }
    }

    @Override
    public float[] allocateFloatLocalArray(int length) {
        return memory.floats(allocations++, length);
    }

    @Override
    public int[] allocateIntLocalArray(int length) {
        return memory.ints(allocations++, length);
    }

    /** Ends a work-item whose group stopped because another item failed. */
    static final class GroupAborted extends RuntimeException {
        GroupAborted() {
            super("work-group aborted", null, false, false);
        }
    }
}
