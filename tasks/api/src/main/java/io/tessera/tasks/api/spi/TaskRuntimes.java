package io.tessera.tasks.api.spi;

import java.util.List;
import java.util.ServiceLoader;

/** Finds the one {@link TaskRuntime} on the class path. */
public final class TaskRuntimes {
    private TaskRuntimes() {
    }

    private static final class Holder {
        static final TaskRuntime RUNTIME = load();
    }

    public static TaskRuntime get() {
        return Holder.RUNTIME;
    }

    private static TaskRuntime load() {
        List<TaskRuntime> found = ServiceLoader.load(TaskRuntime.class, TaskRuntimes.class.getClassLoader())
                .stream().map(ServiceLoader.Provider::get).toList();
        if (found.isEmpty()) {
            throw new IllegalStateException("no Tessera task runtime on the class path: add the "
                    + "tessera-tasks-runtime module to run task graphs");
        }
        if (found.size() > 1) {
            throw new IllegalStateException("more than one Tessera task runtime on the class path: "
                    + found.stream().map(r -> r.getClass().getName()).toList());
        }
        return found.getFirst();
    }
}
