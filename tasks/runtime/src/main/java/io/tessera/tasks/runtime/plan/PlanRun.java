package io.tessera.tasks.runtime.plan;

import io.tessera.tasks.api.ExecutionProfile;
import io.tessera.tasks.api.GraphProfile;
import io.tessera.tasks.api.ImmutableTaskGraph;
import io.tessera.tasks.api.TaskExecutionException;
import io.tessera.tasks.api.TaskSpec;
import io.tessera.tasks.api.TransferStats;
import io.tessera.tasks.api.TypedArray;
import io.tessera.tasks.api.spi.PlanExecutor;
import io.tessera.tasks.api.spi.PlanSettings;
import io.tessera.tasks.runtime.backend.Backends;
import io.tessera.tasks.runtime.backend.DeviceBackend;
import io.tessera.tasks.runtime.backend.DeviceBuffer;
import io.tessera.tasks.runtime.backend.PreparedKernel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * The runtime's side of an execution plan: the device buffers of every array its graphs use,
 * where each array's data is current, and the kernels prepared for each task's device.
 */
public final class PlanRun implements PlanExecutor {
    private final List<ImmutableTaskGraph> graphs;
    private final int[] executions;
    private final Map<TypedArray, Residency> arrays = new IdentityHashMap<>();
    private final Map<String, PreparedKernel> prepared = new HashMap<>();

    public PlanRun(List<ImmutableTaskGraph> graphs) {
        this.graphs = List.copyOf(graphs);
        this.executions = new int[graphs.size()];
    }

    @Override
    public synchronized void warmUp(List<Integer> selected, PlanSettings settings) {
        for (int g : selected) {
            ImmutableTaskGraph graph = graphs.get(g);
            for (TaskSpec task : graph.tasks()) {
                DeviceBackend backend = backend(task, settings);
                prepare(task, backend, settings, nanos -> { });
                for (Object a : task.arguments()) {
                    if (a instanceof TypedArray array && !(graph.isConsumed(array) && !arrays.containsKey(array))) {
                        buffer(residency(array), backend);
                    }
                }
            }
        }
    }

    @Override
    public synchronized ExecutionProfile execute(List<Integer> selected, PlanSettings settings) {
        List<GraphProfile> profiles = new ArrayList<>();
        for (int g : selected) {
            profiles.add(new GraphRun(this, graphs.get(g), executions[g]++ == 0, settings).run());
        }
        return settings.profile() ? new ExecutionProfile(profiles) : null;
    }

    @Override
    public synchronized TransferStats transferToHost(List<TypedArray> list) {
        Transfers out = new Transfers();
        for (TypedArray a : list) {
            copyToHost(requireKnown(a), out);
        }
        return out.stats();
    }

    @Override
    public synchronized TransferStats transferToDevice(List<TypedArray> list, PlanSettings settings) {
        Transfers in = new Transfers();
        for (TypedArray a : list) {
            copyToDevice(requireKnown(a), homeDevice(null, a, settings), in);
        }
        return in.stats();
    }

    @Override
    public synchronized void close() {
        for (Residency r : arrays.values()) {
            boolean persist = graphs.stream().anyMatch(g -> g.isPersisted(r.array));
            for (Map.Entry<String, DeviceBuffer> e : r.buffers.entrySet()) {
                if (persist && r.currentOn.contains(e.getKey())) {
                    PersistedBuffers.put(e.getValue());
                    persist = false;
                } else {
                    e.getValue().release();
                }
            }
        }
        arrays.clear();
        prepared.clear();
    }

    /** Frees persisted buffers that no plan holds; returns how many were freed. */
    public static int releasePersisted(List<TypedArray> list) {
        int released = 0;
        for (TypedArray a : list) {
            var buffer = PersistedBuffers.take(a);
            if (buffer.isPresent()) {
                buffer.get().release();
                released++;
            }
        }
        return released;
    }

    // --- used by GraphRun ---

    DeviceBackend backend(TaskSpec task, PlanSettings settings) {
        try {
            return Backends.of(settings.deviceOf(task.qualifiedName()).selector());
        } catch (TaskExecutionException e) {
            throw new TaskExecutionException(task.qualifiedName(), e.device(), "task " + task.qualifiedName() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The task's kernel for the backend; {@code compileTime} hears the compile time when it is new to this plan. */
    PreparedKernel prepare(TaskSpec task, DeviceBackend backend, PlanSettings settings, LongConsumer compileTime) {
        Map<Integer, Object> constants = new TreeMap<>();
        if (settings.foldedTasks().contains(task.qualifiedName())) {
            for (int i = 0; i < task.arguments().size(); i++) {
                Object a = task.arguments().get(i);
                if (a instanceof Number || a instanceof Boolean) {
                    constants.put(i, a);
                }
            }
        }
        String key = task.qualifiedName() + "@" + backend.selector() + constants;
        PreparedKernel kernel = prepared.get(key);
        if (kernel == null) {
            kernel = backend.prepare(task, Map.copyOf(constants));
            prepared.put(key, kernel);
            compileTime.accept(kernel.compileNanos());
        }
        return kernel;
    }

    Residency residency(TypedArray array) {
        return arrays.computeIfAbsent(array, Residency::new);
    }

    boolean isKnown(TypedArray array) {
        return arrays.containsKey(array);
    }

    /** Takes over a buffer that a closed plan persisted; false when there is none. */
    boolean adoptPersisted(TypedArray array) {
        return PersistedBuffers.take(array).map(b -> {
            Residency r = residency(array);
            r.buffers.put(b.device(), b);
            r.writtenOn(b.device());
            return true;
        }).orElse(false);
    }

    DeviceBuffer buffer(Residency r, DeviceBackend backend) {
        return r.buffers.computeIfAbsent(backend.selector(), d -> backend.allocate(r.array));
    }

    /**
     * Makes the device's copy current when another device holds the data, through the host. An
     * array that is current nowhere but on the host was never transferred: its buffer is left as is.
     */
    void makeCurrent(Residency r, DeviceBackend backend, Transfers in, Transfers out) {
        buffer(r, backend);
        if (r.currentOn.contains(backend.selector()) || r.currentElsewhere(backend.selector()).isEmpty()) {
            return;
        }
        copyToHost(r, out);
        copy(r, backend, in);
        r.currentOn.add(backend.selector());
    }

    /** A declared (or requested) transfer: the host's data is the newest, other device copies are stale. */
    void copyToDevice(Residency r, DeviceBackend backend, Transfers in) {
        copy(r, backend, in);
        r.copiedToDevice(backend.selector());
    }

    private void copy(Residency r, DeviceBackend backend, Transfers in) {
        DeviceBuffer b = buffer(r, backend);
        long start = System.nanoTime();
        long bytes = backend.copyToDevice(b);
        in.add(bytes, System.nanoTime() - start);
    }

    void copyToHost(Residency r, Transfers out) {
        if (r.hostCurrent) {
            return;
        }
        String device = r.currentOn.iterator().next();
        DeviceBackend backend = Backends.of(device);
        long start = System.nanoTime();
        long bytes = backend.copyToHost(r.buffers.get(device));
        out.add(bytes, System.nanoTime() - start);
        r.hostCurrent = true;
    }

    /**
     * The device of the first task that uses the array: in {@code preferred} if it has one, else in
     * any graph of the plan; else the plan's device.
     */
    DeviceBackend homeDevice(ImmutableTaskGraph preferred, TypedArray array, PlanSettings settings) {
        List<ImmutableTaskGraph> order = new ArrayList<>();
        if (preferred != null) {
            order.add(preferred);
        }
        order.addAll(graphs);
        for (ImmutableTaskGraph g : order) {
            for (TaskSpec t : g.tasks()) {
                if (t.arguments().stream().anyMatch(a -> a == array)) {
                    return backend(t, settings);
                }
            }
        }
        return Backends.of(settings.device().selector());
    }

    private Residency requireKnown(TypedArray a) {
        boolean used = graphs.stream().anyMatch(g -> g.tasks().stream()
                .anyMatch(t -> t.arguments().stream().anyMatch(x -> x == a)));
        if (!used) {
            throw new TaskExecutionException(null, null, a + " is not used by any task of this plan");
        }
        return residency(a);
    }
}
