package io.tessera.tasks.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Worker grids by task, addressed as {@code graph.task}. */
public final class GridScheduler {
    private final Map<String, WorkerGrid> grids = new LinkedHashMap<>();

    public GridScheduler() {
    }

    public GridScheduler(String task, WorkerGrid grid) {
        addWorkerGrid(task, grid);
    }

    public GridScheduler addWorkerGrid(String task, WorkerGrid grid) {
        Objects.requireNonNull(grid, "grid");
        if (Objects.requireNonNull(task, "task").indexOf('.') < 1) {
            throw new IllegalArgumentException("grids are addressed as graph.task, got '" + task + "'");
        }
        grids.put(task, grid);
        return this;
    }

    public Optional<WorkerGrid> grid(String task) {
        return Optional.ofNullable(grids.get(task));
    }

    public Map<String, WorkerGrid> grids() {
        return Map.copyOf(grids);
    }

    @Override
    public String toString() {
        return "GridScheduler" + grids;
    }
}
