package io.tessera.pipeline.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.tessera.pipeline.audio.encoder.RandomGemma4uaMmprojFile;
import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.vision.RandomMmprojFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tessera random-mmproj}: a random-weight gemma3 mmproj with the SigLIP-So400m shape, or a gemma4ua audio one. */
@Command(name = "random-mmproj", hidden = true, mixinStandardHelpOptions = true,
        description = {"Write a gemma3 mmproj GGUF file with random weights and the SigLIP-So400m/14 shape.",
            "With --projector gemma4ua: an audio mmproj (encoder-free, 640-sample frames) into --text-width."})
final class RandomMmprojCommand implements Callable<Integer> {
    @Option(names = "--type", paramLabel = "TYPE", defaultValue = "F16",
            description = "Matrix type: F32, F16, BF16 (default: ${DEFAULT-VALUE}).")
    String type;

    @Option(names = "--image-size", paramLabel = "PX", defaultValue = "896",
            description = "Input side, a multiple of 14 * 16 (default: ${DEFAULT-VALUE}; 224 for the PaliGemma size).")
    int imageSize;

    @Option(names = "--text-width", paramLabel = "N", defaultValue = "2560",
            description = "Projection width (default: ${DEFAULT-VALUE}, Gemma 3 4B).")
    int textWidth;

    @Option(names = "--layers", paramLabel = "N", description = "Blocks instead of 27.")
    Integer layers;

    @Option(names = "--projector", paramLabel = "TYPE", defaultValue = "gemma3",
            description = "gemma3 (vision) or gemma4ua (audio) (default: ${DEFAULT-VALUE}).")
    String projector;

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
        if (projector.equals("gemma4ua")) {
            if (t != GgufTensorType.F32 && t != GgufTensorType.F16 && t != GgufTensorType.BF16) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--type must be F32, F16 or BF16");
            }
            new RandomGemma4uaMmprojFile(textWidth, t, 896).write(out);
            spec.commandLine().getOut().println(out);
            return ExitCodes.OK;
        }
        if (!projector.equals("gemma3")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "unknown --projector " + projector
                    + " (gemma3, gemma4ua)");
        }
        if (imageSize <= 0 || imageSize % (14 * 16) != 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--image-size must be a multiple of 224");
        }
        RandomMmprojFile f = RandomMmprojFile.gemma3(imageSize, textWidth, t, 896);
        if (layers != null) {
            f = new RandomMmprojFile(f.imageSize(), f.patchSize(), f.hidden(), f.ffn(), layers, f.heads(),
                    f.projectionDim(), f.merge(), t, f.seed());
        }
        f.write(out);
        spec.commandLine().getOut().println(out);
        return ExitCodes.OK;
    }
}
