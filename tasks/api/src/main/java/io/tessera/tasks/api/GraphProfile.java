package io.tessera.tasks.api;

import java.util.List;
import java.util.stream.Collectors;

/** One execution of one graph: its kernels, its copies and the time spent compiling. */
public record GraphProfile(String graph, List<TaskProfile> tasks, long compileNanos,
                           TransferStats copyIn, TransferStats copyOut, long totalNanos) {
    public GraphProfile {
        tasks = List.copyOf(tasks);
    }

    public long kernelNanos() {
        return tasks.stream().mapToLong(TaskProfile::kernelNanos).sum();
    }

    String json() {
        return "{\"graph\":" + Json.string(graph) + ",\"totalNanos\":" + totalNanos
                + ",\"compileNanos\":" + compileNanos + ",\"kernelNanos\":" + kernelNanos()
                + ",\"copyIn\":" + copyIn.json() + ",\"copyOut\":" + copyOut.json()
                + ",\"tasks\":[" + tasks.stream().map(TaskProfile::json).collect(Collectors.joining(",")) + "]}";
    }
}
