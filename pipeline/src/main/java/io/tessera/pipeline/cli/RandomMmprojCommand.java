package io.tessera.pipeline.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.tessera.pipeline.audio.encoder.RandomGemma4uaMmprojFile;
import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.vision.Gemma4VisionConfig;
import io.tessera.pipeline.vision.RandomGemma4MmprojFile;
import io.tessera.pipeline.vision.RandomMmprojFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tessera random-mmproj}: a random-weight gemma3 mmproj with the SigLIP-So400m shape, a
 * gemma4ua audio one, or a Gemma 4 vision one (gemma4v with the E-model tower shape, gemma4uv).
 */
@Command(name = "random-mmproj", hidden = true, mixinStandardHelpOptions = true,
        description = {"Write a gemma3 mmproj GGUF file with random weights and the SigLIP-So400m/14 shape.",
            "With --projector gemma4ua: an audio mmproj (encoder-free, 640-sample frames) into --text-width.",
            "With --projector gemma4v: the Gemma 4 E-model vision tower (768 wide, 16 blocks, 12 heads, patch 16,"
                + " 3x3 pooling, clipped linears); gemma4uv: 48 px patches projected straight into --text-width."})
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
            description = "gemma3, gemma4v, gemma4uv (vision) or gemma4ua (audio) (default: ${DEFAULT-VALUE}).")
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
        if (projector.equals("gemma4v") || projector.equals("gemma4uv")) {
            if (t != GgufTensorType.F32 && t != GgufTensorType.F16 && t != GgufTensorType.BF16) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--type must be F32, F16 or BF16");
            }
            // position tables of 10240 patches per axis cover any image of the 280-token budget
            RandomGemma4MmprojFile f = projector.equals("gemma4v")
                    ? new RandomGemma4MmprojFile(Gemma4VisionConfig.Kind.ENCODER, 16, 768, 3072,
                            layers != null ? layers : 16, 12, textWidth, 10240, true, false, t, 896)
                    : new RandomGemma4MmprojFile(Gemma4VisionConfig.Kind.UNIFIED, 16, 1024, 0, 0, 1, textWidth, 3414,
                            false, false, t, 896);
            f.write(out);
            spec.commandLine().getOut().println(out);
            return ExitCodes.OK;
        }
        if (!projector.equals("gemma3")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "unknown --projector " + projector
                    + " (gemma3, gemma4v, gemma4uv, gemma4ua)");
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
