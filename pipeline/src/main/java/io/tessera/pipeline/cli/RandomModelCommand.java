package io.tessera.pipeline.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.model.RandomGemmaFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tessera random-model}: writes a random-weight Gemma 3 270M- or Gemma 4 E2B-shaped GGUF file (for ci/bench). */
@Command(name = "random-model", hidden = true, mixinStandardHelpOptions = true,
        description = "Write a GGUF file with random weights and the Gemma 3 270M or Gemma 4 E2B text shape, "
                + "for benchmarks.")
final class RandomModelCommand implements Callable<Integer> {
    @Option(names = "--shape", paramLabel = "SHAPE", defaultValue = "gemma3-270m",
            description = "gemma3-270m or gemma4-e2b (default: ${DEFAULT-VALUE}).")
    String shape;

    @Option(names = "--type", paramLabel = "TYPE", defaultValue = "Q8_0",
            description = "Weight type: F32, F16, BF16, Q8_0, Q4_0 (default: ${DEFAULT-VALUE}).")
    String type;

    @Option(names = "--layers", paramLabel = "N", description = "Layers instead of 18.")
    Integer layers;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "File to write.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        GgufTensorType t;
        try {
            t = GgufTensorType.valueOf(type);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "unknown --type " + type);
        }
        RandomGemmaFile f = switch (shape) {
            case "gemma3-270m" -> RandomGemmaFile.gemma3_270m(t, 270);
            case "gemma4-e2b" -> RandomGemmaFile.gemma4_e2b(t, 2);
            default -> throw new CommandLine.ParameterException(spec.commandLine(), "unknown --shape " + shape
                    + " (gemma3-270m or gemma4-e2b)");
        };
        if (layers != null) {
            if (layers < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--layers must be positive");
            }
            RandomGemmaFile.Gemma4Layout g = f.gemma4();
            if (g != null) {
                // keep E2B's proportion of layers with their own KV cache (15 of 35), ending on a global layer
                int own = Math.max(g.period(), Math.round(layers * 15f / 35 / g.period()) * g.period());
                g = new RandomGemmaFile.Gemma4Layout(g.period(), g.globalHeadDim(), g.globalKvHeads(),
                        g.rotaryFraction(), g.swaRopeBase(), Math.max(0, layers - own), g.perLayerInput(), g.kEqV(),
                        g.outScale(), g.doubleWideMlp());
            }
            f = new RandomGemmaFile(f.architecture(), layers, f.hidden(), f.ffn(), f.heads(), f.kvHeads(),
                    f.headDim(), f.vocab(), f.window(), f.context(), t, t, f.ropeBase(), f.ropeFactor(),
                    f.attnSoftcap(), f.finalSoftcap(), f.seed(), g);
        }
        f.write(out);
        spec.commandLine().getOut().println(out);
        return ExitCodes.OK;
    }
}
