package io.tessera.tasks.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.tessera.tasks.api.KernelContext;

/**
 * A 1-D work-group emulator for testing KernelContext kernels on the JVM: each group runs one
 * platform thread per work-item, barriers are a {@link CyclicBarrier}, and local arrays are shared
 * by the items of a group in order of allocation. Groups run one after another.
 */
final class WorkGroups {
    private WorkGroups() {
    }

    static void run(int globalSize, int localSize, Consumer<KernelContext> kernel) {
        if (globalSize % localSize != 0) {
            throw new IllegalArgumentException("global size " + globalSize + " is not a multiple of " + localSize);
        }
        int groups = globalSize / localSize;
        for (int g = 0; g < groups; g++) {
            Group group = new Group(g, localSize, groups);
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            for (int l = 0; l < localSize; l++) {
                Item item = new Item(group, l);
                Thread t = Thread.ofPlatform().unstarted(() -> {
                    try {
                        kernel.accept(item);
                    } catch (Throwable e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                        group.barrier.reset();
                    }
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            if (!failures.isEmpty()) {
                throw new IllegalStateException("work-item failed in group " + g, failures.get(0));
            }
        }
    }

    private static final class Group {
        final int id;
        final int size;
        final int count;
        final CyclicBarrier barrier;
        final List<Object> locals = new ArrayList<>();

        Group(int id, int size, int count) {
            this.id = id;
            this.size = size;
            this.count = count;
            this.barrier = new CyclicBarrier(size);
        }

        synchronized Object local(int index, Object fresh) {
            if (index == locals.size()) {
                locals.add(fresh);
            }
            return locals.get(index);
        }
    }

    private static final class Item implements KernelContext {
        private final Group group;
        private final int local;
        private int allocations;

        Item(Group group, int local) {
            this.group = group;
            this.local = local;
        }

        private static void checkDim(int dim) {
            if (dim != 0) {
                throw new IllegalArgumentException("the emulator is one-dimensional, asked for dimension " + dim);
            }
        }

        @Override
        public int globalId(int dim) {
            checkDim(dim);
            return group.id * group.size + local;
        }

        @Override
        public int localId(int dim) {
            checkDim(dim);
            return local;
        }

        @Override
        public int groupId(int dim) {
            checkDim(dim);
            return group.id;
        }

        @Override
        public int globalSize(int dim) {
            checkDim(dim);
            return group.size * group.count;
        }

        @Override
        public int localSize(int dim) {
            checkDim(dim);
            return group.size;
        }

        @Override
        public int numGroups(int dim) {
            checkDim(dim);
            return group.count;
        }

        @Override
        public void localBarrier() {
            try {
                group.barrier.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted at a barrier", e);
            } catch (BrokenBarrierException | TimeoutException e) {
                throw new IllegalStateException("barrier broken: a work-item failed or diverged", e);
            }
        }

        @Override
        public void globalBarrier() {
            localBarrier();
        }

        @Override
        public float[] allocateFloatLocalArray(int length) {
            return (float[]) group.local(allocations++, new float[length]);
        }

        @Override
        public int[] allocateIntLocalArray(int length) {
            return (int[]) group.local(allocations++, new int[length]);
        }
    }
}
