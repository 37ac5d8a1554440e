package io.tessera.tasks.api;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The profile of one {@link ExecutionPlan#execute()}: one entry per graph executed. */
public record ExecutionProfile(List<GraphProfile> graphs) {
    public ExecutionProfile {
        graphs = List.copyOf(graphs);
    }

    public long kernelNanos() {
        return graphs.stream().mapToLong(GraphProfile::kernelNanos).sum();
    }

    public long compileNanos() {
        return graphs.stream().mapToLong(GraphProfile::compileNanos).sum();
    }

    public TransferStats copyIn() {
        return graphs.stream().map(GraphProfile::copyIn).reduce(TransferStats.NONE, TransferStats::plus);
    }

    public TransferStats copyOut() {
        return graphs.stream().map(GraphProfile::copyOut).reduce(TransferStats.NONE, TransferStats::plus);
    }

    /** The profile of the task {@code graph.task}, if it ran. */
    public java.util.Optional<TaskProfile> task(String qualifiedName) {
        return graphs.stream().flatMap(g -> g.tasks().stream())
                .filter(t -> t.task().equals(qualifiedName)).findFirst();
    }

    public String toJson() {
        return "{\"graphs\":[" + graphs.stream().map(GraphProfile::json).collect(Collectors.joining(","))
                + "],\"kernelNanos\":" + kernelNanos() + ",\"compileNanos\":" + compileNanos()
                + ",\"copyIn\":" + copyIn().json() + ",\"copyOut\":" + copyOut().json() + "}";
    }

    /** A table for people: one row per task, then the copies and compile time per graph. */
    public String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-36s %-14s %12s %12s  %s%n", "task", "device", "kernel us", "wait us",
                "clock"));
        for (GraphProfile g : graphs) {
            for (TaskProfile t : g.tasks()) {
                out.append(String.format(Locale.ROOT, "%-36s %-14s %12.1f %12.1f  %s%n", t.task(), t.device(),
                        t.kernelNanos() / 1e3, t.waitNanos() / 1e3, t.deviceClock() ? "device" : "host"));
            }
        }
        out.append(String.format(Locale.ROOT, "%n%-20s %10s %9s %12s %10s %9s %12s %11s %11s%n", "graph",
                "in us", "in count", "in bytes", "out us", "out count", "out bytes", "compile us", "total us"));
        for (GraphProfile g : graphs) {
            out.append(String.format(Locale.ROOT, "%-20s %10.1f %9d %12d %10.1f %9d %12d %11.1f %11.1f%n", g.graph(),
                    g.copyIn().nanos() / 1e3, g.copyIn().count(), g.copyIn().bytes(),
                    g.copyOut().nanos() / 1e3, g.copyOut().count(), g.copyOut().bytes(),
                    g.compileNanos() / 1e3, g.totalNanos() / 1e3));
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return table();
    }
}
