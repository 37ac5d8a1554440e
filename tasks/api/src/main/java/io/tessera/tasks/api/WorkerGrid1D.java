package io.tessera.tasks.api;

/** A one-dimensional grid. */
public record WorkerGrid1D(long globalX, long localX) implements WorkerGrid {
    public WorkerGrid1D {
        WorkerGrid.check(0, globalX, localX);
    }

    public WorkerGrid1D withLocal(long x) {
        return new WorkerGrid1D(globalX, x);
    }

    @Override
    public int dimensions() {
        return 1;
    }

    @Override
    public long global(int dim) {
        return dim == 0 ? globalX : 1;
    }

    @Override
    public long local(int dim) {
        return dim == 0 ? localX : (localX == 0 ? 0 : 1);
    }
}
