package io.tessera.pipeline.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.tessera.tasks.compiler.ir.KernelIr;
import io.tessera.tasks.compiler.ir.KernelIrStore;
import io.tessera.tasks.compiler.opencl.OpenClEmitter;
import io.tessera.tasks.compiler.ptx.PtxEmitter;
import io.tessera.tasks.compiler.spirv.SpirvEmitter;
import io.tessera.tasks.kernels.KernelLibrary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tessera compile}: the code each back end generates for the kernel library, for inspection. */
@Command(name = "compile",
        mixinStandardHelpOptions = true,
        description = {
            "Write the code a back end generates for each kernel of the library.",
            "",
            "Targets: opencl (OpenCL C 1.2, .cl), ptx (PTX for --sm, .ptx), spirv (SPIR-V binary "
                + "modules for OpenCL, .spv) and ir (the kernel IR the build-time front end stored, as "
                + "text). No scalar argument is folded."})
final class CompileCommand implements Callable<Integer> {

    enum Target {
        opencl("cl"), ptx("ptx"), spirv("spv"), ir("kir.txt");

        final String extension;

        Target(String extension) {
            this.extension = extension;
        }
    }

    @Option(names = "--target", required = true, paramLabel = "TARGET",
            description = "One of: ${COMPLETION-CANDIDATES}.")
    Target target;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--kernel", paramLabel = "NAME", description = "Only kernels whose Class.method contains NAME.")
    String kernel;

    @Option(names = "--sm", paramLabel = "N", defaultValue = "80",
            description = "Compute capability for --target ptx, as 70, 75, 80, 86, 89, 90 (default: ${DEFAULT-VALUE}).")
    int sm;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (target == Target.ptx && (sm < 70 || sm > 120)) {
            throw new ParameterException(spec.commandLine(), "--sm " + sm + " is not a compute capability from 70 to 120");
        }
        List<Method> kernels = KernelLibrary.kernels().stream()
                .filter(k -> kernel == null || KernelLibrary.name(k).contains(kernel)).toList();
        if (kernels.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "no kernel matches '" + kernel + "'");
        }
        Files.createDirectories(out);
        PrintWriter log = spec.commandLine().getOut();
        for (Method k : kernels) {
            KernelIr ir = KernelIrStore.load(k);
            byte[] code = switch (target) {
                case opencl -> utf8(OpenClEmitter.emit(ir, Map.of()).source());
                case ptx -> utf8(PtxEmitter.emit(ir, Map.of(), sm).ptx());
                case spirv -> SpirvEmitter.emit(ir, Map.of()).binary();
                case ir -> utf8(ir.toString());
            };
            Path file = out.resolve(KernelLibrary.name(k) + "." + target.extension);
            Files.write(file, code);
            log.println("wrote " + file);
        }
        log.println(kernels.size() + " kernels, target " + target);
        log.flush();
        return ExitCodes.OK;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
