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
            "Targets: opencl (OpenCL C 1.2, one .cl file per kernel) and ir (the kernel IR the "
                + "build-time front end stored, as text). No scalar argument is folded."})
final class CompileCommand implements Callable<Integer> {

    enum Target {
        opencl("cl"), ir("kir.txt");

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

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        List<Method> kernels = KernelLibrary.kernels().stream()
                .filter(k -> kernel == null || KernelLibrary.name(k).contains(kernel)).toList();
        if (kernels.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "no kernel matches '" + kernel + "'");
        }
        Files.createDirectories(out);
        PrintWriter log = spec.commandLine().getOut();
        for (Method k : kernels) {
            KernelIr ir = KernelIrStore.load(k);
            String text = switch (target) {
                case opencl -> OpenClEmitter.emit(ir, Map.of()).source();
                case ir -> ir.toString();
            };
            Path file = out.resolve(KernelLibrary.name(k) + "." + target.extension);
            Files.writeString(file, text, StandardCharsets.UTF_8);
            log.println("wrote " + file);
        }
        log.println(kernels.size() + " kernels, target " + target);
        log.flush();
        return ExitCodes.OK;
    }
}
