package io.tessera.pipeline.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.tessera.media.FloatTensor;
import io.tessera.media.MediaInput;
import io.tessera.media.image.ImageDecoder;
import io.tessera.media.image.ImagePreprocessor;
import io.tessera.media.image.RgbImage;
import io.tessera.pipeline.config.BackendsConfig;
import io.tessera.pipeline.generate.Decoder;
import io.tessera.pipeline.generate.Generation;
import io.tessera.pipeline.model.Model;
import io.tessera.pipeline.paligemma.BoxDrawing;
import io.tessera.pipeline.paligemma.Detection;
import io.tessera.pipeline.paligemma.PaliGemma;
import io.tessera.pipeline.paligemma.PaliGemmaGenerator;
import io.tessera.pipeline.paligemma.PaliGemmaPreprocessing;
import io.tessera.pipeline.sample.SamplingSettings;
import io.tessera.pipeline.vision.VisionEncoder;
import io.tessera.tasks.api.Device;

/**
 * {@code tessera ask --model DIR} for a Hugging Face PaliGemma directory: the images and the prompt
 * as PaliGemma's prefix (no chat template: PaliGemma prompts are task prefixes such as
 * {@code "detect cat"} or {@code "caption en"}), the answer streamed, then any {@code <loc>}/{@code <seg>}
 * detections listed on stderr and, with {@code --draw}, drawn onto the first image.
 */
final class PaliGemmaAsk {
    private PaliGemmaAsk() {
    }

    static int run(ModelOptions options, BackendsConfig backends, List<Path> imageFiles, String prompt, int tokens,
                   SamplingSettings settings, Path draw, PrintWriter out, PrintWriter err) {
        long start = System.nanoTime();
        try (PaliGemma model = PaliGemma.load(options.model)) {
            if (!options.quiet) {
                err.print(model.report());
                err.printf("  mapped in %.0f ms%n", (System.nanoTime() - start) / 1e6);
                err.flush();
            }
            List<RgbImage> images = new ArrayList<>();
            List<FloatTensor> pixels = new ArrayList<>();
            var preprocessing = PaliGemmaPreprocessing.of(model.config().vision());
            for (Path p : imageFiles) {
                RgbImage image = new ImageDecoder().decode(MediaOptions.as(MediaInput.of(p), MediaInput.Image.class, p));
                images.add(image);
                pixels.add(ImagePreprocessor.preprocess(image, preprocessing));
            }
            int[] text = model.prefixText(prompt);
            int prefix = PaliGemmaGenerator.prefixLength(model.config(), images.size(), text.length);
            // by default 4096 positions, or more (up to the trained context) for the 4096 tokens of an 896 px image
            int context = options.contextLength != null ? options.contextLength
                    : Math.min(model.config().text().trainedContext(), Math.max(4096, prefix + tokens));
            if (context <= 0) {
                throw new IllegalArgumentException("--ctx must be positive, not " + context);
            }
            Device device = ModelOptions.device(options.backend, backends);
            // the prefix is one bidirectional block, so it must fit in one prefill tile
            int tile = Math.min(context, Math.max(options.tile, prefix));
            try (Decoder decoder = new Decoder(model.config().text(), model.weights().text(), device,
                    new Decoder.Options(context, tile, false));
                 VisionEncoder encoder = new VisionEncoder(model.config().vision(), model.weights().vision(), device,
                         VisionEncoder.Options.batch(Math.max(1, images.size())))) {
                if (!options.quiet) {
                    err.printf("  device %s: %s in use by the decoder (KV cache of %d positions); prefix of %d"
                            + " positions (%d image%s, %d text tokens) in one bidirectional tile%n", device,
                            Model.bytes(decoder.deviceBytes()), decoder.contextLength(), prefix, images.size(),
                            images.size() == 1 ? "" : "s", text.length);
                }
                if (options.graphs) {
                    decoder.diagrams().forEach(err::print);
                }
                err.flush();
                List<float[]> embeddings = pixels.isEmpty() ? List.of() : encoder.encode(pixels);
                Generation g = new PaliGemmaGenerator(model, decoder).generate(embeddings, prompt, tokens, settings,
                        piece -> {
                            out.print(piece);
                            out.flush();
                        });
                out.println();
                out.flush();
                String answer = model.tokenizer().decode(g.ids(), true);
                List<Detection> detections = Detection.parse(answer);
                for (Detection d : detections) {
                    err.println("detection: " + d);
                }
                if (draw != null) {
                    BoxDrawing.writePng(images.getFirst(), detections, draw);
                    err.printf("drew %d box%s on %s into %s%n", detections.size(), detections.size() == 1 ? "" : "es",
                            imageFiles.getFirst().getFileName(), draw);
                }
                err.flush();
            }
        }
        return ExitCodes.OK;
    }
}
