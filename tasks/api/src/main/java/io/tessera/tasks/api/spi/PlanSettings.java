package io.tessera.tasks.api.spi;

import io.tessera.tasks.api.Device;
import io.tessera.tasks.api.GridScheduler;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The settings of a plan at the time of a call: the default device, per-task devices and grids
 * (by {@code graph.task}), whether to profile, and the tasks whose scalar arguments are folded
 * into their compiled code as constants.
 */
public record PlanSettings(Device device, Map<String, Device> taskDevices, GridScheduler grids,
                           boolean profile, Set<String> foldedTasks) {
    public PlanSettings {
        Objects.requireNonNull(device, "device");
        taskDevices = Map.copyOf(taskDevices);
        Objects.requireNonNull(grids, "grids");
        foldedTasks = Set.copyOf(foldedTasks);
    }

    public Device deviceOf(String qualifiedTask) {
        return taskDevices.getOrDefault(qualifiedTask, device);
    }
}
