package io.tessera.pipeline.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import io.tessera.media.FloatTensor;
import io.tessera.media.MediaFormatException;
import io.tessera.media.MediaInput;
import io.tessera.media.NpyWriter;
import io.tessera.media.image.ImageDecoder;
import io.tessera.media.image.ImagePreprocessor;
import io.tessera.media.audio.AudioLoader;
import io.tessera.pipeline.audio.encoder.AudioEncoder;
import io.tessera.pipeline.vision.Mmproj;
import io.tessera.pipeline.vision.VisionEncoder;
import io.tessera.pipeline.vision.VisionPreprocessing;
import io.tessera.tasks.api.Device;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tessera embed}: the projected soft-token embeddings of images or audio clips, as .npy, with the encode time. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = {"Encode images with an mmproj vision encoder, or audio clips with its audio encoder, and "
            + "write their soft-token embeddings.",
            "", "Audio: the clips' soft tokens one after another, (tokens, width) float32; each clip's token count "
                + "on stderr."})
final class EmbedCommand implements Callable<Integer> {
    @Option(names = "--mmproj", required = true, paramLabel = "FILE", description = "mmproj GGUF file (clip).")
    Path mmproj;

    @Option(names = "--image", paramLabel = "FILE", description = "An image file (repeatable).")
    List<Path> images = new ArrayList<>();

    @Option(names = "--audio", paramLabel = "FILE",
            description = "An audio file (repeatable), decoded to 16 kHz mono; instead of --image.")
    List<Path> audio = new ArrayList<>();

    @Option(names = "--out", paramLabel = "FILE",
            description = "Output .npy: (images, tokens, width) float32, or for audio (tokens, width).")
    Path out;

    @Option(names = "--backend", paramLabel = "SEL", description = "Device selector (jvm, opencl:pocl, ...).")
    String backend;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "1",
            description = "Images per encoder pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
            description = "Encode N times and report each time (the first includes compilation and transfers).")
    int repeat;

    @Option(names = "--dump", paramLabel = "DIR",
            description = "Also write every intermediate tensor of the last batch as DIR/NAME.npy.")
    Path dump;

    @Spec
    CommandSpec spec;

    @ParentCommand
    TesseraCli root;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (images.isEmpty() == audio.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), images.isEmpty()
                    ? "give --image or --audio files" : "give --image or --audio files, not both");
        }
        Device device = ModelOptions.device(backend, root.backends());
        if (!audio.isEmpty()) {
            return embedAudio(device, err);
        }
        try (Mmproj m = Mmproj.load(mmproj);
             VisionEncoder encoder = new VisionEncoder(m, device, new VisionEncoder.Options(batch,
                     dump != null ? Set.of("*") : Set.of()))) {
            err.print(m.report());
            List<FloatTensor> pixels = new ArrayList<>();
            ImageDecoder decoder = new ImageDecoder();
            for (Path p : images) {
                if (!(MediaInput.of(p) instanceof MediaInput.Image image)) {
                    throw new MediaFormatException(p.toString(), "not an image");
                }
                pixels.add(ImagePreprocessor.preprocess(decoder.decode(image), VisionPreprocessing.of(m.config())));
            }
            List<float[]> embeddings = List.of();
            for (int r = 0; r < Math.max(1, repeat); r++) {
                long t0 = System.nanoTime();
                embeddings = encoder.encode(pixels);
                double ms = (System.nanoTime() - t0) / 1e6;
                err.printf("encode %d on %s: %.1f ms (%.1f ms per image)%n", r + 1, device, ms, ms / pixels.size());
                err.flush();
            }
            int tokens = m.config().softTokens();
            int width = m.config().projectionDim();
            if (out != null) {
                float[] all = new float[embeddings.size() * tokens * width];
                for (int i = 0; i < embeddings.size(); i++) {
                    System.arraycopy(embeddings.get(i), 0, all, i * tokens * width, tokens * width);
                }
                NpyWriter.write(out, new FloatTensor(new int[] {embeddings.size(), tokens, width}, all));
            }
            if (dump != null) {
                Files.createDirectories(dump);
                for (var e : encoder.dumped().entrySet()) {
                    NpyWriter.write(dump.resolve(e.getKey() + ".npy"), e.getValue());
                }
            }
        }
        return ExitCodes.OK;
    }

    /** The --audio clips through the mmproj's audio encoder, chunk by chunk as the interleaver lays them out. */
    private int embedAudio(Device device, PrintWriter err) throws IOException {
        try (Mmproj m = Mmproj.load(mmproj); AudioEncoder encoder = AudioEncoder.open(m, device)) {
            err.print(m.report());
            List<float[]> clips = new ArrayList<>();
            AudioLoader loader = new AudioLoader();
            for (Path p : audio) {
                float[] s = loader.load16kMono(MediaOptions.as(MediaInput.of(p), MediaInput.Audio.class, p));
                if (s.length == 0) {
                    throw new MediaFormatException(p.toString(), "has no audio samples");
                }
                clips.add(s);
            }
            List<float[]> rows = List.of();
            int tokens = 0;
            for (int r = 0; r < Math.max(1, repeat); r++) {
                long t0 = System.nanoTime();
                rows = new ArrayList<>();
                tokens = 0;
                for (int c = 0; c < clips.size(); c++) {
                    float[] s = clips.get(c);
                    int[] pieces = encoder.chunkTokens(s.length);
                    for (int k = 0; k < pieces.length; k++) {
                        rows.add(encoder.encode(encoder.chunk(s, k)));
                        tokens += pieces[k];
                    }
                    if (r == 0) {
                        err.printf("%s: %d samples (%.2f s) -> %d soft tokens in %d chunk(s)%n", audio.get(c),
                                s.length, s.length / 16000.0, java.util.Arrays.stream(pieces).sum(), pieces.length);
                    }
                }
                double ms = (System.nanoTime() - t0) / 1e6;
                err.printf("encode %d on %s: %.1f ms (%d soft tokens)%n", r + 1, device, ms, tokens);
                err.flush();
            }
            if (out != null) {
                int width = encoder.width();
                float[] all = new float[tokens * width];
                int at = 0;
                for (float[] e : rows) {
                    System.arraycopy(e, 0, all, at, e.length);
                    at += e.length;
                }
                NpyWriter.write(out, new FloatTensor(new int[] {tokens, width}, all));
            }
        }
        return ExitCodes.OK;
    }
}
