package io.tessera.pipeline.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import io.tessera.tasks.api.Device;
import io.tessera.tasks.kernels.selftest.KernelCase;
import io.tessera.tasks.kernels.selftest.KernelCases;
import io.tessera.tasks.kernels.selftest.SelfTest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/** {@code tessera selftest}: every kernel on every selected device against its JVM reference. */
@Command(name = "selftest",
        mixinStandardHelpOptions = true,
        description = {
            "Check every kernel on devices against its JVM reference.",
            "",
            "Runs each kernel of the library at several shapes (1, odd sizes, sizes that fit no "
                + "work-group, model-like sizes) on seeded random inputs and reports the normalised "
                + "mean squared error against the kernel's plain Java body. Exit code 1 when any fails."})
final class SelftestCommand implements Callable<Integer> {

    @Option(names = "--backend", paramLabel = "SEL",
            description = "Device to check (repeatable); default: every available device.")
    List<String> backends = new ArrayList<>();

    @Option(names = "--kernel", paramLabel = "NAME", description = "Only kernels whose name contains NAME.")
    String kernel;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<Device> devices = backends.isEmpty() ? Device.all() : backends.stream().map(Device::select).toList();
        List<KernelCase> cases = kernel == null ? KernelCases.all() : KernelCases.matching(kernel);
        PrintWriter out = spec.commandLine().getOut();
        if (!json) {
            out.printf("%-34s %-30s %-16s %-10s %s%n", "KERNEL", "SHAPE", "DEVICE", "NMSE", "RESULT");
        }
        List<SelfTest.Result> results = SelfTest.run(cases, devices, r -> {
            if (!json) {
                out.printf(Locale.ROOT, "%-34s %-30s %-16s %-10s %s%n", r.kernel(), r.shape(), r.device(),
                        Double.isNaN(r.nmse()) ? "-" : String.format(Locale.ROOT, "%.2e", r.nmse()),
                        r.passed() ? "pass" : r.unsupported() != null ? "unsupported: " + r.unsupported()
                                : "FAIL" + (r.error() == null ? " (bound " + r.tolerance() + ")" : ": " + r.error()));
                out.flush();
            }
        });
        long failed = results.stream().filter(SelfTest.Result::failed).count();
        long unsupported = results.stream().filter(r -> r.unsupported() != null).count();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("devices", devices.stream().map(Device::selector).toList());
            doc.put("results", results.stream().map(r -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("kernel", r.kernel());
                m.put("shape", r.shape());
                m.put("device", r.device());
                m.put("nmse", Double.isFinite(r.nmse()) ? r.nmse() : null);
                m.put("tolerance", r.tolerance());
                m.put("passed", r.passed());
                m.put("error", r.error());
                m.put("unsupported", r.unsupported());
                return m;
            }).toList());
            doc.put("failed", failed);
            doc.put("unsupported", unsupported);
            out.println(JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(doc));
        } else {
            out.printf("%d checks of %d kernels on %d devices: %d passed, %d failed, %d unsupported by their device%n",
                    results.size(), cases.size(), devices.size(), results.size() - failed - unsupported, failed,
                    unsupported);
        }
        out.flush();
        return failed == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
