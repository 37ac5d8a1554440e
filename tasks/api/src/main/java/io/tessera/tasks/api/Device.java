package io.tessera.tasks.api;

import io.tessera.tasks.api.spi.TaskRuntimes;
import java.util.List;
import java.util.Objects;

/**
 * A device a plan can run tasks on, named by its stable selector ({@code jvm}, {@code opencl:0},
 * {@code cuda:0}, ...). Obtain one through {@link #select(String)}, which also accepts aliases
 * such as {@code opencl:pocl}.
 */
public record Device(String selector, String backend, String name) {
    public Device {
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(name, "name");
    }

    /** Resolves a selector or alias; an unknown one is an error that lists the valid selectors. */
    public static Device select(String selectorOrAlias) {
        return TaskRuntimes.get().select(selectorOrAlias);
    }

    /** The JVM device: the host's cores, always available. */
    public static Device jvm() {
        return select("jvm");
    }

    /** Every available device, in selector order. */
    public static List<Device> all() {
        return TaskRuntimes.get().devices();
    }

    @Override
    public String toString() {
        return selector + " (" + name + ")";
    }
}
