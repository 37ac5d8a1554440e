package io.tessera.tasks.runtime.device;

import io.tessera.tasks.runtime.spirv.LlvmSpirv;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Device discovery over every backend: {@code jvm} always, OpenCL through the ICD loader, CUDA
 * through the driver library, SPIR-V on OpenCL devices that ingest IL. A missing driver makes its
 * backend unavailable with a reason; it is never an error. Discovery runs once per process.
 *
 * <p>SPIR-V devices are {@code spirv:N}, the OpenCL devices that ingest IL, in OpenCL order. OpenCL
 * devices that cannot ingest IL but build SPIR 1.2 binaries ({@code cl_khr_spir}, as PoCL does) are
 * also listed when {@code llvm-spirv} is installed, as {@code spirv:PLATFORM} (e.g. {@code spirv:pocl}),
 * with their name saying that modules reach them through the translator. They are chosen only by
 * that selector: no {@code spirv:N} and no {@code spirv} alias names them.
 */
public final class Devices {
    private Devices() {
    }

    private record Discovery(List<BackendReport> reports, List<OpenClDevice> openCl,
                             Map<String, OpenClDevice> spirv, Optional<LlvmSpirv> translator) {
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

    /** The OpenCL handles behind an {@code opencl:N} or {@code spirv:...} device. */
    public static Optional<OpenClDevice> openCl(DeviceInfo device) {
        if (device.backend().equals("spirv")) {
            return Optional.ofNullable(Holder.DISCOVERY.spirv().get(device.selector()));
        }
        return Holder.DISCOVERY.openCl().stream().filter(d -> d.info().selector().equals(device.selector()))
                .findFirst();
    }

    /** The translator that feeds SPIR-V to devices without IL ingestion, when installed. */
    public static Optional<LlvmSpirv> spirvTranslator() {
        return Holder.DISCOVERY.translator();
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
        Optional<LlvmSpirv> translator = LlvmSpirv.find();
        Map<String, OpenClDevice> spirv = new LinkedHashMap<>();
        reports.add(spirv(openCl, translator, spirv));
        return new Discovery(List.copyOf(reports), openCl.devices(), Map.copyOf(spirv), translator);
    }

    private static BackendReport spirv(OpenClProbe.Result openCl, Optional<LlvmSpirv> translator,
                                       Map<String, OpenClDevice> found) {
        if (!openCl.report().available()) {
            return BackendReport.unavailable("spirv", "OpenCL is unavailable: " + openCl.report().reason());
        }
        List<DeviceInfo> devices = new ArrayList<>();
        for (OpenClDevice d : openCl.devices()) {
            if (d.info().spirvIngestion()) {
                DeviceInfo info = spirvDevice(d.info(), "spirv:" + found.size(), found.isEmpty() ? List.of("spirv")
                        : List.of(), d.info().name(), true);
                found.put(info.selector(), d);
                devices.add(info);
            }
        }
        List<OpenClDevice> spir12 = openCl.devices().stream()
                .filter(d -> d.spir12() && !d.info().spirvIngestion()).toList();
        for (OpenClDevice d : translator.isPresent() ? spir12 : List.<OpenClDevice>of()) {
            // the alias opencl:PLATFORM:K of each OpenCL device names its platform and place in it
            String platformAndIndex = d.info().aliases().getLast().substring("opencl:".length());
            String selector = "spirv:" + (platformAndIndex.endsWith(":0")
                    ? platformAndIndex.substring(0, platformAndIndex.length() - 2) : platformAndIndex);
            DeviceInfo info = spirvDevice(d.info(), selector, List.of(), d.info().name() + " (SPIR-V through "
                    + translator.get().name() + " -r to SPIR 1.2; the driver ingests no SPIR-V)", false);
            found.put(selector, d);
            devices.add(info);
        }
        if (devices.isEmpty()) {
            String translation = spir12.isEmpty() ? "" : "; " + spir12.stream().map(d -> d.info().selector())
                    .collect(Collectors.joining(", ")) + " could take it as SPIR 1.2 through llvm-spirv, which is "
                    + "not installed (" + String.join(" or ", LlvmSpirv.NAMES) + ")";
            return BackendReport.unavailable("spirv", "no OpenCL device reports SPIR-V IL "
                    + "(CL_DEVICE_IL_VERSION, OpenCL 2.1+, or cl_khr_il_program)" + translation);
        }
        return BackendReport.available("spirv", devices);
    }

    private static DeviceInfo spirvDevice(DeviceInfo d, String selector, List<String> aliases, String name,
                                          boolean ingestion) {
        return new DeviceInfo(selector, aliases, "spirv", name, d.vendor(), d.driverVersion(), d.computeUnits(),
                d.globalMemoryBytes(), d.localMemoryBytes(), d.maxAllocationBytes(), d.maxWorkGroupSize(), d.fp16(),
                d.fp64(), ingestion, List.of("spirv"));
    }

    /** Prints the discovery report: {@code java ... io.tessera.tasks.runtime.device.Devices}. */
    public static void main(String[] args) {
        System.out.print(describe());
    }
}
