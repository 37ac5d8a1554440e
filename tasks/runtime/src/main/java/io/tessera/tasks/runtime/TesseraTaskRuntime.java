package io.tessera.tasks.runtime;

import io.tessera.tasks.api.Device;
import io.tessera.tasks.api.ImmutableTaskGraph;
import io.tessera.tasks.api.TypedArray;
import io.tessera.tasks.api.spi.PlanExecutor;
import io.tessera.tasks.api.spi.TaskRuntime;
import io.tessera.tasks.runtime.device.DeviceInfo;
import io.tessera.tasks.runtime.device.Devices;
import io.tessera.tasks.runtime.plan.PlanRun;
import java.util.List;

/** The task runtime that the API finds through {@link java.util.ServiceLoader}. */
public final class TesseraTaskRuntime implements TaskRuntime {
    @Override
    public Device select(String selectorOrAlias) {
        return device(Devices.select(selectorOrAlias));
    }

    @Override
    public List<Device> devices() {
        return Devices.all().stream().map(TesseraTaskRuntime::device).toList();
    }

    @Override
    public PlanExecutor open(List<ImmutableTaskGraph> graphs) {
        return new PlanRun(graphs);
    }

    @Override
    public int releasePersisted(List<TypedArray> arrays) {
        return PlanRun.releasePersisted(arrays);
    }

    private static Device device(DeviceInfo d) {
        return new Device(d.selector(), d.backend(), d.name());
    }
}
