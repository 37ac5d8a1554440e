package io.tessera.pipeline.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.tessera.pipeline.config.BackendsConfig;
import io.tessera.tasks.runtime.device.BackendReport;
import io.tessera.tasks.runtime.device.DeviceInfo;
import io.tessera.tasks.runtime.device.Devices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.json.JsonMapper;

/** {@code tessera devices}: every backend and device of this machine, with the selectors to use. */
@Command(name = "devices",
        mixinStandardHelpOptions = true,
        description = {
            "List the backends and devices of this machine, with their selectors.",
            "",
            "The selector (jvm, opencl:0, opencl:pocl, cuda:0, spirv:0, ...) is what --backend "
                + "takes. Backends that are absent are listed as unavailable, with the reason."})
final class DevicesCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Spec
    CommandSpec spec;

    @ParentCommand
    TesseraCli root;

    @Override
    public Integer call() {
        BackendsConfig config = root.backends();
        List<BackendReport> reports = Devices.discover();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JsonMapper.builder().build().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(Map.of("backends", reports)));
        } else {
            printTable(out, reports);
            out.println();
            out.println("default device: " + config.defaultSelector() + " (conf/backends.yaml)");
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static void printTable(PrintWriter out, List<BackendReport> reports) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SELECTOR", "ALIASES", "NAME", "VENDOR", "UNITS", "MEMORY", "FP16", "FP64", "TARGETS"});
        for (BackendReport r : reports) {
            for (DeviceInfo d : r.devices()) {
                rows.add(new String[] {d.selector(), String.join(",", d.aliases()), d.name(), d.vendor(),
                    Integer.toString(d.computeUnits()), gib(d.globalMemoryBytes()), yesNo(d.fp16()),
                    yesNo(d.fp64()), String.join(",", d.targets())});
            }
        }
        int[] width = new int[rows.getFirst().length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + (width[i] + 2) + "s", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
        Map<String, String> unavailable = new LinkedHashMap<>();
        for (BackendReport r : reports) {
            if (!r.available()) {
                unavailable.put(r.backend(), r.reason());
            }
        }
        if (!unavailable.isEmpty()) {
            out.println();
            unavailable.forEach((backend, reason) -> out.println("unavailable: " + backend + " — " + reason));
        }
    }

    private static String gib(long bytes) {
        return String.format("%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }
}
