package io.tessera.tasks.api;

/**
 * The index space of one task: global size per dimension and, optionally, the work-group (local)
 * size. A local size of 0 lets the device choose. Sizes are element counts, not groups.
 */
public sealed interface WorkerGrid permits WorkerGrid1D, WorkerGrid2D, WorkerGrid3D {
    int dimensions();

    long global(int dim);

    /** Local size of {@code dim}, or 0 when the device chooses. */
    long local(int dim);

    default boolean hasLocal() {
        return local(0) != 0;
    }

    static WorkerGrid1D of(long x) {
        return new WorkerGrid1D(x, 0);
    }

    static WorkerGrid2D of(long x, long y) {
        return new WorkerGrid2D(x, y, 0, 0);
    }

    static WorkerGrid3D of(long x, long y, long z) {
        return new WorkerGrid3D(x, y, z, 0, 0, 0);
    }

    /** Checks one dimension; a local size must be positive and divide the global size. */
    static void check(int dim, long global, long local) {
        if (global <= 0) {
            throw new IllegalArgumentException("global size of dimension " + dim + " must be positive, got " + global);
        }
        if (local < 0 || (local > 0 && global % local != 0)) {
            throw new IllegalArgumentException("local size " + local + " of dimension " + dim
                    + " must be positive and divide the global size " + global);
        }
    }
}
