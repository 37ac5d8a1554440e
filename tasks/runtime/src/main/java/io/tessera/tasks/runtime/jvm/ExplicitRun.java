package io.tessera.tasks.runtime.jvm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Phaser;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a KernelContext kernel over its grid: work-groups spread over the worker pool; the items
 * of a group run in sequence on one worker, or, when the kernel has barriers, one virtual thread
 * per item meeting at the group's barrier.
 */
final class ExplicitRun {
    private final Invoker kernel;
    private final Object[] args;
    private final int contextIndex;
    private final int[] global;
    private final int[] local;
    private final int[] groups;
    private final boolean barriers;

    ExplicitRun(Invoker kernel, Object[] args, int contextIndex, int[] global, int[] local, boolean barriers) {
        this.kernel = kernel;
        this.args = args;
        this.contextIndex = contextIndex;
        this.global = global;
        this.local = local;
        this.groups = new int[] {global[0] / local[0], global[1] / local[1], global[2] / local[2]};
        this.barriers = barriers;
    }

    void run(WorkerPool pool) {
        long total = (long) groups[0] * groups[1] * groups[2];
        int chunks = (int) Math.min(total, pool.size() * 4L);
        pool.run(chunks, chunk -> {
            long from = total * chunk / chunks;
            long to = total * (chunk + 1) / chunks;
            if (barriers) {
                for (long g = from; g < to; g++) {
                    runGroupWithBarriers(group(g));
                }
            } else {
                runGroupsInSequence(from, to);
            }
        });
    }

    private int[] group(long linear) {
        return new int[] {(int) (linear % groups[0]), (int) (linear / groups[0] % groups[1]),
                (int) (linear / ((long) groups[0] * groups[1]))};
    }

    private void runGroupsInSequence(long from, long to) {
        JvmContext context = new JvmContext(global, local, null);
        Object[] own = args.clone();
        own[contextIndex] = context;
        for (long g = from; g < to; g++) {
            int[] group = group(g);
            GroupMemory memory = new GroupMemory();
            for (int z = 0; z < local[2]; z++) {
                for (int y = 0; y < local[1]; y++) {
                    for (int x = 0; x < local[0]; x++) {
                        context.at(group, x, y, z, memory);
                        kernel.invoke(own);
                    }
                }
            }
        }
    }

    private void runGroupWithBarriers(int[] group) {
        int items = local[0] * local[1] * local[2];
        Phaser barrier = new Phaser(items);
        GroupMemory memory = new GroupMemory();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>(items);
        for (int i = 0; i < items; i++) {
            JvmContext context = new JvmContext(global, local, barrier);
            context.at(group, i % local[0], i / local[0] % local[1], i / (local[0] * local[1]), memory);
            Object[] own = args.clone();
            own[contextIndex] = context;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    kernel.invoke(own);
                } catch (JvmContext.GroupAborted e) {
                    // another item of the group failed first
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    barrier.forceTermination();
                } finally {
                    barrier.arriveAndDeregister();
                }
            }));
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                barrier.forceTermination();
                throw new WorkerPool.KernelFailure(e);
            }
        }
        Throwable e = failure.get();
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e != null) {
            throw new WorkerPool.KernelFailure(e);
        }
    }
}
