package io.tessera.tasks.runtime.jvm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/** Platform threads, one per core, that run the slices of JVM kernels. */
public final class WorkerPool {
    private static final class Holder {
        static final WorkerPool SHARED = new WorkerPool(Runtime.getRuntime().availableProcessors());
    }

    private final int size;
    private final ExecutorService executor;

    WorkerPool(int size) {
        this.size = size;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(size, r -> {
            Thread t = new Thread(r, "tessera-jvm-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public static WorkerPool shared() {
        return Holder.SHARED;
    }

    public int size() {
        return size;
    }

    /** Runs {@code body(0..tasks-1)} over the pool and waits; the first failure is rethrown. */
    public void run(int tasks, IntConsumer body) {
        if (tasks == 1) {
            body.accept(0);
            return;
        }
        List<Future<?>> futures = new ArrayList<>(tasks);
        for (int i = 0; i < tasks; i++) {
            int index = i;
            futures.add(executor.submit(() -> body.accept(index)));
        }
        RuntimeException failure = null;
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new KernelFailure(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(x -> x.cancel(true));
                throw new KernelFailure(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** A checked exception or error thrown inside a kernel. */
    public static final class KernelFailure extends RuntimeException {
        public KernelFailure(Throwable cause) {
            super(cause);
        }
    }
}
