package io.tessera.tasks.runtime.plan;

import io.tessera.tasks.api.DataTransferMode;
import io.tessera.tasks.api.GraphProfile;
import io.tessera.tasks.api.ImmutableTaskGraph;
import io.tessera.tasks.api.TaskExecutionException;
import io.tessera.tasks.api.TaskProfile;
import io.tessera.tasks.api.TaskSpec;
import io.tessera.tasks.api.TransferSpec;
import io.tessera.tasks.api.TypedArray;
import io.tessera.tasks.api.spi.PlanSettings;
import io.tessera.tasks.runtime.backend.DeviceBackend;
import io.tessera.tasks.runtime.backend.DeviceBuffer;
import io.tessera.tasks.runtime.backend.PreparedKernel;
import io.tessera.tasks.runtime.kernel.KernelModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** One execution of one graph: consumed buffers, copies in, tasks in order, copies out. */
final class GraphRun {
    private final PlanRun plan;
    private final ImmutableTaskGraph graph;
    private final boolean first;
    private final PlanSettings settings;
    private final Transfers in = new Transfers();
    private final Transfers out = new Transfers();
    private final List<TaskProfile> tasks = new ArrayList<>();
    private long compileNanos;

    GraphRun(PlanRun plan, ImmutableTaskGraph graph, boolean first, PlanSettings settings) {
        this.plan = plan;
        this.graph = graph;
        this.first = first;
        this.settings = settings;
    }

    GraphProfile run() {
        long start = System.nanoTime();
        for (TypedArray a : graph.consumed()) {
            consume(a);
        }
        for (TransferSpec t : graph.toDevice()) {
            if (due(t.mode())) {
                plan.copyToDevice(plan.residency(t.array()), plan.homeDevice(graph, t.array(), settings), in);
            }
        }
        for (TaskSpec task : graph.tasks()) {
            runTask(task);
        }
        for (TransferSpec t : graph.toHost()) {
            if (due(t.mode())) {
                plan.copyToHost(plan.residency(t.array()), out);
            }
        }
        return new GraphProfile(graph.name(), tasks, compileNanos, in.stats(), out.stats(), System.nanoTime() - start);
    }

    private boolean due(DataTransferMode mode) {
        return mode == DataTransferMode.EVERY_EXECUTION || (mode == DataTransferMode.FIRST_EXECUTION && first);
    }

    private void consume(TypedArray a) {
        if (plan.isKnown(a) && !plan.residency(a).currentOn.isEmpty()) {
            return;
        }
        if (!plan.adoptPersisted(a)) {
            throw new TaskExecutionException(null, null, "graph " + graph.name() + " consumes " + a
                    + " from the device, but no earlier graph left it there (persistOnDevice)");
        }
    }

    private void runTask(TaskSpec task) {
        DeviceBackend backend = plan.backend(task, settings);
        PreparedKernel kernel = plan.prepare(task, backend, settings, nanos -> compileNanos += nanos);
        List<DeviceBuffer> buffers = new ArrayList<>(task.arguments().size());
        List<Residency> written = new ArrayList<>();
        List<Residency> read = new ArrayList<>();
        Set<Integer> writes = KernelModels.writtenParameters(task.kernel());
        for (int i = 0; i < task.arguments().size(); i++) {
            Object a = task.arguments().get(i);
            if (a instanceof TypedArray array) {
                Residency r = plan.residency(array);
                try {
                    plan.makeCurrent(r, backend, in, out);
                } catch (TaskExecutionException e) {
                    throw new TaskExecutionException(task.qualifiedName(), backend.selector(), "task "
                            + task.qualifiedName() + ": " + e.getMessage(), e);
                }
                buffers.add(r.buffers.get(backend.selector()));
                (writes.contains(i) ? written : read).add(r);
            } else {
                buffers.add(null);
            }
        }
        TaskProfile profile = backend.launch(kernel, task, buffers, settings.grids().grid(task.qualifiedName())
                .orElse(null));
        written.forEach(r -> r.writtenOn(backend.selector()));
        read.forEach(r -> r.currentOn.add(backend.selector()));
        tasks.add(profile);
    }
}
