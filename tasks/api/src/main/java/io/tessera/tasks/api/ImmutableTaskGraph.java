package io.tessera.tasks.api;

import java.util.List;

/** A frozen {@link TaskGraph}: what an {@link ExecutionPlan} runs. */
public final class ImmutableTaskGraph {
    private final String name;
    private final List<TransferSpec> toDevice;
    private final List<TaskSpec> tasks;
    private final List<TransferSpec> toHost;
    private final List<TypedArray> consumed;
    private final List<TypedArray> persisted;

    ImmutableTaskGraph(String name, List<TransferSpec> toDevice, List<TaskSpec> tasks, List<TransferSpec> toHost,
                       List<TypedArray> consumed, List<TypedArray> persisted) {
        this.name = name;
        this.toDevice = List.copyOf(toDevice);
        this.tasks = List.copyOf(tasks);
        this.toHost = List.copyOf(toHost);
        this.consumed = List.copyOf(consumed);
        this.persisted = List.copyOf(persisted);
    }

    public String name() {
        return name;
    }

    public List<TransferSpec> toDevice() {
        return toDevice;
    }

    public List<TaskSpec> tasks() {
        return tasks;
    }

    public List<TransferSpec> toHost() {
        return toHost;
    }

    public List<TypedArray> consumed() {
        return consumed;
    }

    public List<TypedArray> persisted() {
        return persisted;
    }

    public boolean isConsumed(TypedArray array) {
        return consumed.stream().anyMatch(a -> a == array);
    }

    public boolean isPersisted(TypedArray array) {
        return persisted.stream().anyMatch(a -> a == array);
    }

    /** The graph as text: transfers in, tasks with their arguments, transfers out. */
    public String describe() {
        StringBuilder out = new StringBuilder("graph ").append(name).append('\n');
        consumed.forEach(a -> out.append("  consume  ").append(a).append('\n'));
        toDevice.forEach(t -> out.append("  to device ").append(t.mode()).append(' ').append(t.array()).append('\n'));
        tasks.forEach(t -> out.append("  task     ").append(t.name()).append(" = ").append(t.kernelName())
                .append(t.arguments()).append('\n'));
        toHost.forEach(t -> out.append("  to host  ").append(t.mode()).append(' ').append(t.array()).append('\n'));
        persisted.forEach(a -> out.append("  persist  ").append(a).append('\n'));
        return out.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
