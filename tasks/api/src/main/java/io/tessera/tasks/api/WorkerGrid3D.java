package io.tessera.tasks.api;

/** A three-dimensional grid; local sizes are all set or all 0. */
public record WorkerGrid3D(long globalX, long globalY, long globalZ, long localX, long localY, long localZ)
        implements WorkerGrid {
    public WorkerGrid3D {
        WorkerGrid.check(0, globalX, localX);
        WorkerGrid.check(1, globalY, localY);
        WorkerGrid.check(2, globalZ, localZ);
        if ((localX == 0) != (localY == 0) || (localX == 0) != (localZ == 0)) {
            throw new IllegalArgumentException("local sizes must be all set or all 0, got "
                    + localX + "x" + localY + "x" + localZ);
        }
    }

    public WorkerGrid3D withLocal(long x, long y, long z) {
        return new WorkerGrid3D(globalX, globalY, globalZ, x, y, z);
    }

    @Override
    public int dimensions() {
        return 3;
    }

    @Override
    public long global(int dim) {
        return switch (dim) {
            case 0 -> globalX;
            case 1 -> globalY;
            default -> globalZ;
        };
    }

    @Override
    public long local(int dim) {
        return switch (dim) {
            case 0 -> localX;
            case 1 -> localY;
            default -> localZ;
        };
    }
}
