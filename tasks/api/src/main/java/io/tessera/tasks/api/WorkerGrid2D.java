package io.tessera.tasks.api;

/** A two-dimensional grid; local sizes are both set or both 0. */
public record WorkerGrid2D(long globalX, long globalY, long localX, long localY) implements WorkerGrid {
    public WorkerGrid2D {
        WorkerGrid.check(0, globalX, localX);
        WorkerGrid.check(1, globalY, localY);
        if ((localX == 0) != (localY == 0)) {
            throw new IllegalArgumentException("local sizes must be all set or all 0, got " + localX + "x" + localY);
        }
    }

    public WorkerGrid2D withLocal(long x, long y) {
        return new WorkerGrid2D(globalX, globalY, x, y);
    }

    @Override
    public int dimensions() {
        return 2;
    }

    @Override
    public long global(int dim) {
        return switch (dim) {
            case 0 -> globalX;
            case 1 -> globalY;
            default -> 1;
        };
    }

    @Override
    public long local(int dim) {
        return switch (dim) {
            case 0 -> localX;
            case 1 -> localY;
            default -> localX == 0 ? 0 : 1;
        };
    }
}
