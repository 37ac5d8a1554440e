package io.tessera.pipeline.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import io.tessera.media.FloatTensor;
import io.tessera.media.MediaFormatException;
import io.tessera.media.MediaInput;
import io.tessera.media.Preset;
import io.tessera.media.Presets;
import io.tessera.media.audio.AudioFeatures;
import io.tessera.media.audio.AudioLoader;
import io.tessera.media.image.ImageDecoder;
import io.tessera.media.image.ImagePreprocessing;
import io.tessera.media.image.ImagePreprocessor;
import io.tessera.media.image.RgbImage;
import io.tessera.media.video.VideoDecoder;
import io.tessera.media.video.VideoFrame;
import io.tessera.media.video.VideoSampling;
import io.tessera.pipeline.audio.TaskGraphFeatureExtractor;
import io.tessera.pipeline.generate.Decoder;
import io.tessera.pipeline.generate.Generation;
import io.tessera.pipeline.model.Model;
import io.tessera.pipeline.sample.SamplingSettings;
import io.tessera.pipeline.vision.InterleavedPrompt;
import io.tessera.pipeline.vision.Interleaver;
import io.tessera.pipeline.vision.Mmproj;
import io.tessera.pipeline.vision.MultimodalGenerator;
import io.tessera.pipeline.vision.VideoFrames;
import io.tessera.pipeline.vision.VisionEncoder;
import io.tessera.pipeline.vision.VisionPreprocessing;
import io.tessera.tasks.api.Device;
import io.tessera.tokenizer.ChatMessage;
import io.tessera.tokenizer.ChatTemplate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tessera demo}: one image and one video prompt through the whole pipeline (media decode,
 * preprocessing, SigLIP encoder, interleaving with bidirectional image blocks, prefill, greedy
 * decode, streamed text) on every available device, plus the audio features on each, and a table
 * comparing the devices. Without a model it writes and uses a tiny random-weight pair and sample
 * media of its own.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run an image + video prompt through the whole pipeline on every device and compare them.",
            "", "Without --model, writes a tiny random-weight Gemma 3 model, a matching mmproj and sample media "
                + "(PNG, WAV, MP4) into the work directory and uses them; the text they produce is noise.",
            "Exit code 0 when every device ran and generated the same tokens as jvm, 1 otherwise."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR",
            description = "Work directory for the generated files (default: $TESSERA_CACHE/demo, or ~/.cache/tessera/demo).")
    Path dir;

    @Option(names = "--model", paramLabel = "FILE", description = "Gemma 3 text GGUF file (with --mmproj).")
    Path model;

    @Option(names = "--mmproj", paramLabel = "FILE", description = "gemma3 mmproj GGUF file (with --model).")
    Path mmproj;

    @Option(names = "--image", paramLabel = "FILE", description = "Image (default: the generated scene.png).")
    Path image;

    @Option(names = "--video", paramLabel = "FILE", description = "Video (default: the generated ball.mp4).")
    Path video;

    @Option(names = "--audio", paramLabel = "FILE", description = "Audio (default: the generated chirp.wav).")
    Path audio;

    @Option(names = "--prompt", paramLabel = "TEXT", defaultValue = "What is in the picture, and what happens in the video?",
            description = "Text after the image and the video (default: ${DEFAULT-VALUE}).")
    String prompt;

    @Option(names = {"-n", "--tokens"}, paramLabel = "N", defaultValue = "16",
            description = "Tokens to generate on each device (default: ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--frames", paramLabel = "N", defaultValue = "4",
            description = "Video frames sampled uniformly (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--backends", paramLabel = "SEL", split = ",",
            description = "Devices to run on, comma-separated (default: every available device).")
    List<String> backends;

    @Option(names = "--audio-preset", paramLabel = "NAME", defaultValue = "gemma4",
            description = "Audio feature extractor: gemma4 or gemma3n (default: ${DEFAULT-VALUE}).")
    String audioPreset;

    @Option(names = "--repetition-penalty", paramLabel = "X", defaultValue = "1",
            description = "Greedy decoding with this penalty on the last 64 tokens (default: ${DEFAULT-VALUE}, "
                    + "plain arg-max).")
    float repetitionPenalty;

    @Spec
    CommandSpec spec;

    /** What one device did; {@code skipped} is the reason when it could not run. */
    private record Row(String device, double imageMs, double videoMs, double prefillTps, double decodeTps,
                       double audioMs, String audioShape, int[] ids, double totalSeconds, String skipped) {
        static Row skipped(String device, String reason) {
            return new Row(device, 0, 0, 0, 0, 0, "", null, 0, reason);
        }
    }

    @Override
    public Integer call() {
        if ((model == null) != (mmproj == null)) {
            throw new ParameterException(spec.commandLine(), "--model and --mmproj go together");
        }
        if (!(repetitionPenalty > 0)) {
            throw new ParameterException(spec.commandLine(), "--repetition-penalty must be positive");
        }
        if (tokens <= 0 || frames <= 0) {
            throw new ParameterException(spec.commandLine(), "--tokens and --frames must be positive");
        }
        Preset audioFeatures = Presets.get(audioPreset);
        if (audioFeatures.audio() == null) {
            throw new ParameterException(spec.commandLine(), "preset " + audioPreset + " has no audio extractor");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean random = model == null;
        if (random) {
            out.println("The weights are random: the model was never trained, so the generated text is noise; "
                    + "what the demo shows is that every device computes the same tokens.");
        }
        Path work = dir != null ? dir : defaultDir();
        Map<String, Path> files = random || image == null || video == null || audio == null
                ? DemoFiles.ensure(work) : Map.of();
        Path modelFile = random ? files.get("model") : model;
        Path mmprojFile = random ? files.get("mmproj") : mmproj;
        Path imageFile = image != null ? image : files.get("image");
        Path videoFile = video != null ? video : files.get("video");
        Path audioFile = audio != null ? audio : files.get("audio");
        out.printf("model %s%nmmproj %s%nimage %s, video %s, audio %s%n", modelFile, mmprojFile, imageFile, videoFile,
                audioFile);

        RgbImage picture = new ImageDecoder().decode(MediaOptions.as(MediaInput.of(imageFile), MediaInput.Image.class, imageFile));
        List<VideoFrame> clip = new VideoDecoder().sample(MediaOptions.as(MediaInput.of(videoFile), MediaInput.Video.class, videoFile),
                VideoSampling.uniform(frames));
        float[] samples = new AudioLoader().load16kMono(MediaInput.of(audioFile));
        out.printf(Locale.ROOT, "image %dx%d; video: %d frames at %s; audio %.2f s at 16 kHz%n", picture.width(),
                picture.height(), clip.size(), clip.stream().map(VideoFrame::mmss).toList(),
                samples.length / (double) AudioLoader.MODEL_RATE);
        out.println("audio: the Gemma 3 decoder has no audio encoder, so the sound is not part of the prompt; only its "
                + audioFeatures.name() + " log-mel features are computed on each device.");

        List<Device> devices = devices();
        out.println("devices: " + String.join(", ", devices.stream().map(Device::toString).toList()));
        List<Row> rows = new ArrayList<>();
        try (Model m = Model.load(modelFile); Mmproj vision = Mmproj.load(mmprojFile)) {
            vision.checkCompatible(m);
            var tokenizer = m.tokenizer();
            List<ChatMessage.Content> content = new ArrayList<>();
            content.add(new ChatMessage.Image());
            content.addAll(VideoFrames.userContent(prompt, clip));
            int[] ids = ChatTemplate.GEMMA3.encode(tokenizer, List.of(new ChatMessage(ChatMessage.Role.USER, content)), true);
            InterleavedPrompt interleaved = new Interleaver(tokenizer, vision.config()).expand(ids, 1 + clip.size());
            ImagePreprocessing pre = VisionPreprocessing.of(vision.config());
            FloatTensor picturePixels = ImagePreprocessor.preprocess(picture, pre);
            List<FloatTensor> framePixels = clip.stream().map(f -> ImagePreprocessor.preprocess(f.image(), pre)).toList();
            int context = interleaved.positions() + tokens;
            out.printf("prompt: %d positions (%d text tokens, %d images of %d soft tokens); %d tokens generated greedily (repetition penalty %s)%n",
                    interleaved.positions(), interleaved.positions() - (1 + clip.size()) * vision.config().softTokens(),
                    1 + clip.size(), vision.config().softTokens(), tokens, repetitionPenalty);
            out.println();
            for (Device d : devices) {
                Row row;
                try {
                    row = run(d, m, vision, interleaved, picturePixels, framePixels, samples, audioFeatures, context, out);
                } catch (RuntimeException e) {
                    row = Row.skipped(d.selector(), e.getClass().getSimpleName() + ": " + e.getMessage());
                    out.println("[" + d.selector() + "] skipped: " + row.skipped());
                }
                rows.add(row);
                out.flush();
            }
        }
        out.println();
        return table(rows, out, err);
    }

    private Row run(Device d, Model m, Mmproj vision, InterleavedPrompt prompt, FloatTensor picture,
                    List<FloatTensor> frames, float[] samples, Preset audioFeatures, int context, PrintWriter out) {
        long start = System.nanoTime();
        out.print("[" + d.selector() + "] ");
        out.flush();
        float[] imageEmbedding;
        List<float[]> frameEmbeddings;
        double imageMs;
        double videoMs;
        try (VisionEncoder encoder = new VisionEncoder(vision, d, VisionEncoder.Options.batch(frames.size()))) {
            long t0 = System.nanoTime();
            imageEmbedding = encoder.encode(List.of(picture)).getFirst();
            imageMs = (System.nanoTime() - t0) / 1e6;
            t0 = System.nanoTime();
            frameEmbeddings = encoder.encode(frames);
            videoMs = (System.nanoTime() - t0) / 1e6;
        }
        Generation g;
        try (Decoder decoder = new Decoder(m, d, new Decoder.Options(context, 128, false))) {
            MultimodalGenerator generator = new MultimodalGenerator(decoder, m.tokenizer(), m.endTokens());
            g = generator.generate(prompt, i -> i == 0 ? imageEmbedding : frameEmbeddings.get(i - 1), tokens,
                    new SamplingSettings(true, 1f, 0, 1f, 0f, repetitionPenalty, 64, 0), piece -> {
                        out.print(piece);
                        out.flush();
                    });
        }
        out.println();
        double audioMs;
        String audioShape;
        try (TaskGraphFeatureExtractor extractor = TaskGraphFeatureExtractor.on(audioFeatures.audio(), d)) {
            long t0 = System.nanoTime();
            List<AudioFeatures> features = extractor.extract(samples);
            audioMs = (System.nanoTime() - t0) / 1e6;
            int[] shape = features.getFirst().features().shape();
            audioShape = (features.size() == 1 ? "" : features.size() + "*")
                    + String.join("x", Arrays.stream(shape).mapToObj(Integer::toString).toList());
        }
        return new Row(d.selector(), imageMs, videoMs, g.prefillTokensPerSecond(), g.decodeTokensPerSecond(), audioMs,
                audioShape, g.ids(), (System.nanoTime() - start) / 1e9, null);
    }

    /** Prints the comparison and returns the exit code: 0 when every device ran and agreed with jvm. */
    private int table(List<Row> rows, PrintWriter out, PrintWriter err) {
        Row reference = rows.stream().filter(r -> r.device().equals("jvm") && r.skipped() == null).findFirst().orElse(null);
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"BACKEND", "IMAGE ms", "VIDEO ms (" + frames + " fr)", "PREFILL tok/s", "DECODE tok/s",
            "AUDIO ms", "AUDIO FEATURES", "IDS = jvm", "TOTAL s"});
        boolean ok = reference != null;
        for (Row r : rows) {
            if (r.skipped() != null) {
                ok = false;
                cells.add(new String[] {r.device(), "-", "-", "-", "-", "-", "-", "skipped", "-"});
                continue;
            }
            String same;
            if (reference == null) {
                same = "no jvm run";
            } else {
                int at = Arrays.mismatch(reference.ids(), r.ids());
                same = at < 0 ? "yes" : "no (from token " + at + ")";
                ok &= at < 0;
            }
            cells.add(new String[] {r.device(), f1(r.imageMs()), f1(r.videoMs()), f1(r.prefillTps()), f1(r.decodeTps()),
                f1(r.audioMs()), r.audioShape(), same, String.format(Locale.ROOT, "%.2f", r.totalSeconds())});
        }
        int[] width = new int[cells.getFirst().length];
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(String.format("%-" + (width[i] + 2) + "s", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
        out.println();
        rows.stream().filter(r -> r.skipped() == null)
                .forEach(r -> out.println("ids " + r.device() + ": " + Arrays.toString(r.ids())));
        out.println("Times are of the first run on each device: IMAGE includes compiling the encoder's kernels, "
                + "PREFILL the decoder's.");
        rows.stream().filter(r -> r.skipped() != null).forEach(r -> err.println(r.device() + " skipped: " + r.skipped()));
        out.println(ok ? "All " + rows.size() + " devices ran and generated the same tokens."
                : "Not every device ran and agreed with jvm.");
        out.flush();
        err.flush();
        return ok ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    private List<Device> devices() {
        List<Device> list = new ArrayList<>();
        if (backends == null || backends.isEmpty()) {
            list.addAll(Device.all());
        } else {
            for (String s : backends) {
                list.add(Device.select(s.strip()));
            }
        }
        // jvm is the reference: it runs first
        list.sort((a, b) -> Boolean.compare(!a.selector().equals("jvm"), !b.selector().equals("jvm")));
        return list;
    }


    private static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static Path defaultDir() {
        String cache = System.getenv("TESSERA_CACHE");
        Path base = cache != null && !cache.isBlank() ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache", "tessera");
        return base.resolve("demo");
    }
}
