package io.tessera.tasks.api;

import io.tessera.tasks.api.spi.PlanExecutor;
import io.tessera.tasks.api.spi.PlanSettings;
import io.tessera.tasks.api.spi.TaskRuntimes;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Runs one or more frozen graphs on devices. Settings are fluent and may change between executions;
 * device buffers live until {@link #close()} (persisted ones longer).
 *
 * <pre>{@code
 * try (ExecutionPlan plan = new ExecutionPlan(graph.snapshot())
 *         .withDevice(Device.select("opencl:pocl"))
 *         .withGridScheduler(new GridScheduler("layer.matvec", WorkerGrid.of(rows).withLocal(64)))
 *         .withProfiler()) {
 *     ExecutionResult result = plan.execute();
 *     result.profile().ifPresent(p -> System.out.println(p.table()));
 * }
 * }</pre>
 *
 * <p>The default device is {@code jvm}. A task that cannot run on its device is an error; nothing
 * falls back to another device.
 */
public final class ExecutionPlan implements AutoCloseable {
    private final List<ImmutableTaskGraph> graphs;
    private final PlanExecutor executor;
    private Device device;
    private final Map<String, Device> taskDevices = new HashMap<>();
    private GridScheduler grids = new GridScheduler();
    private final Set<String> folded = new HashSet<>();
    private boolean profile;
    private List<Integer> selected;
    private boolean closed;

    public ExecutionPlan(ImmutableTaskGraph... graphs) {
        if (graphs.length == 0) {
            throw new IllegalArgumentException("an execution plan needs at least one graph");
        }
        this.graphs = List.of(graphs);
        Set<String> names = new HashSet<>();
        for (ImmutableTaskGraph g : this.graphs) {
            if (!names.add(g.name())) {
                throw new TaskGraphException("two graphs of the plan are named " + g.name());
            }
        }
        this.selected = IntStream.range(0, graphs.length).boxed().toList();
        this.executor = TaskRuntimes.get().open(this.graphs);
    }

    public List<ImmutableTaskGraph> graphs() {
        return graphs;
    }

    /** The device of every task without a device of its own. */
    public ExecutionPlan withDevice(Device device) {
        this.device = Objects.requireNonNull(device, "device");
        return this;
    }

    public ExecutionPlan withDevice(String selectorOrAlias) {
        return withDevice(Device.select(selectorOrAlias));
    }

    /** The device of one task, addressed as {@code graph.task}. */
    public ExecutionPlan withDevice(String task, Device device) {
        taskDevices.put(checkTask(task), Objects.requireNonNull(device, "device"));
        return this;
    }

    public ExecutionPlan withGridScheduler(GridScheduler grids) {
        grids.grids().keySet().forEach(this::checkTask);
        this.grids = grids;
        return this;
    }

    /** Folds the scalar arguments of {@code graph.task} into its compiled code (one program per value set). */
    public ExecutionPlan withConstantFolding(String task) {
        folded.add(checkTask(task));
        return this;
    }

    public ExecutionPlan withProfiler() {
        profile = true;
        return this;
    }

    public ExecutionPlan withoutProfiler() {
        profile = false;
        return this;
    }

    /** Compiles every kernel and allocates every buffer now, so the first execution measures only itself. */
    public ExecutionPlan withWarmUp() {
        executor.warmUp(selected, settings());
        return this;
    }

    /** Later executions run only graph {@code index}. */
    public ExecutionPlan withGraph(int index) {
        Objects.checkIndex(index, graphs.size());
        selected = List.of(index);
        return this;
    }

    public ExecutionPlan withGraph(String name) {
        for (int i = 0; i < graphs.size(); i++) {
            if (graphs.get(i).name().equals(name)) {
                return withGraph(i);
            }
        }
        throw new TaskGraphException("the plan has no graph named " + name);
    }

    /** Later executions run every graph, in order. */
    public ExecutionPlan withAllGraphs() {
        selected = IntStream.range(0, graphs.size()).boxed().toList();
        return this;
    }

    public ExecutionResult execute() {
        checkOpen();
        return new ExecutionResult(executor, executor.execute(selected, settings()));
    }

    /** Copies {@link DataTransferMode#UNDER_DEMAND} inputs (or any arrays the graphs use) to their devices now. */
    public TransferStats transferToDevice(TypedArray... arrays) {
        checkOpen();
        return executor.transferToDevice(List.of(arrays), settings());
    }

    /** Copies arrays held on a device to the host now. */
    public TransferStats transferToHost(TypedArray... arrays) {
        checkOpen();
        return executor.transferToHost(List.of(arrays));
    }

    /**
     * Frees the device buffers that closed plans persisted for {@code arrays} and that no plan has
     * consumed since; returns how many were freed.
     */
    public static int releasePersisted(TypedArray... arrays) {
        return TaskRuntimes.get().releasePersisted(List.of(arrays));
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            executor.close();
        }
    }

    private PlanSettings settings() {
        return new PlanSettings(device != null ? device : Device.jvm(), taskDevices, grids, profile, folded);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the execution plan is closed");
        }
    }

    private String checkTask(String task) {
        int dot = task.indexOf('.');
        for (ImmutableTaskGraph g : graphs) {
            if (dot > 0 && g.name().equals(task.substring(0, dot))
                    && g.tasks().stream().anyMatch(t -> t.name().equals(task.substring(dot + 1)))) {
                return task;
            }
        }
        throw new TaskGraphException("the plan has no task " + task + "; tasks are "
                + graphs.stream().flatMap(g -> g.tasks().stream()).map(TaskSpec::qualifiedName).toList());
    }
}
