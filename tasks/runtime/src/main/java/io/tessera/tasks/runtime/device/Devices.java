package io.tessera.tasks.runtime.device;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Device discovery over every backend: {@code jvm} always, OpenCL through the ICD loader, CUDA
 * through the driver library, SPIR-V on OpenCL devices that ingest IL. A missing driver makes its
 * backend unavailable with a reason; it is never an error. Discovery runs once per process.
 */
public final class Devices {
    private Devices() {
    }

    private record Discovery(List<BackendReport> reports, List<OpenClDevice> openCl) {
    }

    private static final class Holder {
        static final Discovery DISCOVERY = run();
    }

    /** The JVM alone, so that selecting it does not load any driver. */
    private static final class JvmHolder {
        static final DeviceInfo JVM = JvmProbe.probe().devices().getFirst();
    }

    /** Reports for jvm, opencl, cuda and spirv, in that order. */
    public static List<BackendReport> discover() {
        return Holder.DISCOVERY.reports();
    }

    /** Every available device, in report order. */
    public static List<DeviceInfo> all() {
        return discover().stream().flatMap(r -> r.devices().stream()).toList();
    }

    /** Resolves a selector ({@code opencl:0}) or alias ({@code opencl:pocl}). */
    public static DeviceInfo select(String selectorOrAlias) {
        String wanted = selectorOrAlias.strip();
        if (wanted.equals("jvm")) {
            return JvmHolder.JVM;
        }
        for (DeviceInfo d : all()) {
            if (d.selector().equals(wanted) || d.aliases().contains(wanted)) {
                return d;
            }
        }
        String backend = wanted.contains(":") ? wanted.substring(0, wanted.indexOf(':')) : wanted;
        String why = discover().stream().filter(r -> r.backend().equals(backend) && !r.available())
                .map(r -> " (backend " + backend + " is unavailable: " + r.reason() + ")").findFirst().orElse("");
        throw new UnknownDeviceException("no device '" + wanted + "'" + why + "; valid selectors: "
                + all().stream().map(d -> Stream.concat(Stream.of(d.selector()), d.aliases().stream())
                        .collect(Collectors.joining("|"))).collect(Collectors.joining(", ")));
    }

    /** The OpenCL handles behind an {@code opencl:N} or {@code spirv:N} device. */
    public static Optional<OpenClDevice> openCl(DeviceInfo device) {
        if (device.backend().equals("spirv")) {
            return Holder.DISCOVERY.openCl().stream().filter(d -> d.info().spirvIngestion())
                    .skip(Integer.parseInt(device.selector().substring("spirv:".length()))).findFirst();
        }
        return Holder.DISCOVERY.openCl().stream().filter(d -> d.info().selector().equals(device.selector()))
                .findFirst();
    }

    /** All reports as text, one line per device. */
    public static String describe() {
        return discover().stream().map(BackendReport::describe).collect(Collectors.joining());
    }

    private static Discovery run() {
        OpenClProbe.Result openCl = OpenClProbe.probe();
        List<BackendReport> reports = new ArrayList<>();
        reports.add(BackendReport.available("jvm", List.of(JvmHolder.JVM)));
        reports.add(openCl.report());
        reports.add(CudaProbe.probe());
        reports.add(spirv(openCl));
        return new Discovery(List.copyOf(reports), openCl.devices());
    }

    private static BackendReport spirv(OpenClProbe.Result openCl) {
        if (!openCl.report().available()) {
            return BackendReport.unavailable("spirv", "OpenCL is unavailable: " + openCl.report().reason());
        }
        List<DeviceInfo> ingesting = openCl.devices().stream().map(OpenClDevice::info)
                .filter(DeviceInfo::spirvIngestion).toList();
        if (ingesting.isEmpty()) {
            return BackendReport.unavailable("spirv", "no OpenCL device reports SPIR-V IL "
                    + "(CL_DEVICE_IL_VERSION, OpenCL 2.1+, or cl_khr_il_program)");
        }
        List<DeviceInfo> devices = new ArrayList<>();
        for (int i = 0; i < ingesting.size(); i++) {
            DeviceInfo d = ingesting.get(i);
            devices.add(new DeviceInfo("spirv:" + i, i == 0 ? List.of("spirv") : List.of(), "spirv", d.name(),
                    d.vendor(), d.driverVersion(), d.computeUnits(), d.globalMemoryBytes(), d.localMemoryBytes(),
                    d.maxAllocationBytes(), d.maxWorkGroupSize(), d.fp16(), d.fp64(), true, List.of("spirv")));
        }
        return BackendReport.available("spirv", devices);
    }

    /** Prints the discovery report: {@code java ... io.tessera.tasks.runtime.device.Devices}. */
    public static void main(String[] args) {
        System.out.print(describe());
    }
}
