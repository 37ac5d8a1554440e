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
import io.tessera.pipeline.audio.encoder.AudioEncoder;
import io.tessera.pipeline.generate.Decoder;
import io.tessera.pipeline.generate.Generation;
import io.tessera.pipeline.model.Model;
import io.tessera.pipeline.sample.SamplingSettings;
import io.tessera.pipeline.vision.InterleavedPrompt;
import io.tessera.pipeline.vision.Interleaver;
import io.tessera.pipeline.vision.Mmproj;
import io.tessera.pipeline.vision.MultimodalGenerator;
import io.tessera.pipeline.vision.MultimodalPrompt;
import io.tessera.pipeline.vision.VisionEncoder;
import io.tessera.pipeline.vision.VisionPreprocessing;
import io.tessera.tasks.api.Device;
import io.tessera.tokenizer.ChatTemplate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tessera demo}: one prompt holding an image, an audio clip and a video (timestamped frames
 * with its sound track cut at the frame times, as {@code ask --video} lays it out) through the
 * whole pipeline (media decode, preprocessing, SigLIP and audio encoders, interleaving, prefill,
 * greedy decode, streamed text) on every available device, plus the log-mel features on each, and
 * a table comparing the devices. The sound goes into the prompt only when the mmproj has an audio
 * part. Without a model it writes and uses a tiny random-weight pair and sample media of its own.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run an image + audio + video prompt through the whole pipeline on every device and compare them.",
            "", "Without --model, writes a tiny random-weight Gemma 3 model, a matching mmproj with a vision and an "
                + "audio part, and sample media (PNG, WAV, MP4 with sound) into the work directory and uses them; "
                + "the text they produce is noise. With --mmproj, the sound is in the prompt when the mmproj has "
                + "an audio part.",
            "Exit code 0 when every device ran and generated the same tokens as jvm, 1 otherwise."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR",
            description = "Work directory for the generated files (default: $TESSERA_CACHE/demo, or ~/.cache/tessera/demo).")
    Path dir;

    @Option(names = "--model", paramLabel = "FILE", description = "Gemma 3 text GGUF file (with --mmproj).")
    Path model;

    @Option(names = "--mmproj", paramLabel = "FILE",
            description = "gemma3 mmproj GGUF file, with or without an audio part (with --model).")
    Path mmproj;

    @Option(names = "--image", paramLabel = "FILE",
            description = "Image (default: the generated " + DemoFiles.IMAGE + ").")
    Path image;

    @Option(names = "--video", paramLabel = "FILE",
            description = "Video; its sound track goes into the prompt when the mmproj has an audio part (default: the generated " + DemoFiles.VIDEO + ").")
    Path video;

    @Option(names = "--audio", paramLabel = "FILE",
            description = "Audio clip (default: the generated " + DemoFiles.AUDIO + ").")
    Path audio;

    static final String PROMPT = "What is in the picture, and what happens in the video?";
    static final String AUDIO_PROMPT = "What is in the picture, what is the sound, and what happens in the video?";

    @Option(names = "--prompt", paramLabel = "TEXT",
            description = "Text after the media (default: \"" + AUDIO_PROMPT + "\", or without an audio part in "
                    + "the mmproj \"" + PROMPT + "\").")
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
    private record Row(String device, double imageMs, double videoMs, double audioEncodeMs, double prefillTps,
                       double decodeTps, double audioMs, String audioShape, int[] ids, double totalSeconds,
                       String skipped) {
        static Row skipped(String device, String reason) {
            return new Row(device, 0, 0, 0, 0, 0, 0, "", null, 0, reason);
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
        List<Device> devices = devices();
        out.println("devices: " + String.join(", ", devices.stream().map(Device::toString).toList()));
        List<Row> rows = new ArrayList<>();
        try (Model m = Model.load(modelFile); Mmproj mm = Mmproj.load(mmprojFile)) {
            mm.checkCompatible(m);
            var tokenizer = m.tokenizer();
            boolean withAudio = mm.hasAudio();
            float[] track = null;
            if (withAudio) {
                MediaInput.Video v = MediaOptions.as(MediaInput.of(videoFile), MediaInput.Video.class, videoFile);
                if (new VideoDecoder().info(v).hasAudio()) {
                    track = new AudioLoader().load16kMono(v);
                }
                if (samples.length == 0) {
                    throw new MediaFormatException(audioFile.toString(), "has no audio samples");
                }
            }
            int soft = mm.config().softTokens();
            MultimodalPrompt layout;
            // the layout needs the chunk sizes only, which do not depend on the device
            try (AudioEncoder sizes = withAudio ? AudioEncoder.open(mm, Device.jvm()) : null) {
                layout = MultimodalPrompt.build(tokenizer, Interleaver.forMmproj(tokenizer, mm, m.config().hidden()),
                        ChatTemplate.GEMMA3, null, prompt != null ? prompt : withAudio ? AUDIO_PROMPT : PROMPT,
                        List.of(soft), soft, withAudio ? List.of(samples) : List.of(), clip, track, sizes);
            }
            InterleavedPrompt interleaved = layout.prompt();
            if (withAudio) {
                out.printf(Locale.ROOT, "audio: %s into the prompt through the mmproj's %s audio encoder; "
                        + "the %s log-mel features of the clip are computed on each device as well.%n",
                        track != null ? String.format(Locale.ROOT, "the clip and the video's %.2f s sound track, cut "
                                + "at the frame times, go", track.length / (double) AudioLoader.MODEL_RATE)
                                : "the clip goes (the video has no sound track)",
                        mm.audio().projector().ggufName(), audioFeatures.name());
            } else {
                out.println("audio: the mmproj has no audio encoder, so the sound is not part of the prompt; only its "
                        + audioFeatures.name() + " log-mel features are computed on each device.");
            }
            ImagePreprocessing pre = VisionPreprocessing.of(mm.config());
            FloatTensor picturePixels = ImagePreprocessor.preprocess(picture, pre);
            List<FloatTensor> framePixels = clip.stream().map(f -> ImagePreprocessor.preprocess(f.image(), pre)).toList();
            int context = interleaved.positions() + tokens;
            int audioPositions = interleaved.audioPositions();
            out.printf("prompt: %d positions (%d text tokens, %d images of %d soft tokens%s); %d tokens generated "
                    + "greedily (repetition penalty %s)%n", interleaved.positions(),
                    interleaved.positions() - interleaved.imagePositions() - audioPositions, 1 + clip.size(), soft,
                    withAudio ? ", " + audioPositions + " audio soft tokens: the clip" + (layout.clips().size() > 1
                            ? " and " + (layout.clips().size() - 1) + " pieces of the video's sound" : "") : "",
                    tokens, repetitionPenalty);
            out.println();
            for (Device d : devices) {
                Row row;
                try {
                    row = run(d, m, mm, layout, picturePixels, framePixels, samples, audioFeatures, context, out);
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

    private Row run(Device d, Model m, Mmproj vision, MultimodalPrompt layout, FloatTensor picture,
                    List<FloatTensor> frames, float[] samples, Preset audioFeatures, int context, PrintWriter out) {
        InterleavedPrompt prompt = layout.prompt();
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
        // every audio chunk (the clip, the video's pieces) encoded up front, to time the encoder alone
        List<float[]> audioEmbeddings = new ArrayList<>();
        double audioEncodeMs = 0;
        if (!layout.clips().isEmpty()) {
            try (AudioEncoder encoder = AudioEncoder.open(vision, d)) {
                long t0 = System.nanoTime();
                var chunks = layout.audioEmbeddings(encoder);
                for (int s = 0; s < prompt.audioSegments(); s++) {
                    audioEmbeddings.add(chunks.apply(s));
                }
                audioEncodeMs = (System.nanoTime() - t0) / 1e6;
            }
        }
        Generation g;
        // a bidirectional image block must fit in one prefill tile: a real gemma3 mmproj has 256 soft tokens
        int tile = Math.max(128, vision.config().softTokens());
        try (Decoder decoder = new Decoder(m, d, new Decoder.Options(context, tile, false))) {
            MultimodalGenerator generator = new MultimodalGenerator(decoder, m.tokenizer(), m.endTokens());
            g = generator.generate(prompt, i -> i == 0 ? imageEmbedding : frameEmbeddings.get(i - 1),
                    audioEmbeddings::get, tokens,
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
        return new Row(d.selector(), imageMs, videoMs, audioEncodeMs, g.prefillTokensPerSecond(),
                g.decodeTokensPerSecond(), audioMs,
                audioShape, g.ids(), (System.nanoTime() - start) / 1e9, null);
    }

    /** Prints the comparison and returns the exit code: 0 when every device ran and agreed with jvm. */
    private int table(List<Row> rows, PrintWriter out, PrintWriter err) {
        Row reference = rows.stream().filter(r -> r.device().equals("jvm") && r.skipped() == null).findFirst().orElse(null);
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"BACKEND", "IMAGE ms", "VIDEO ms (" + frames + " fr)", "AUDIO ENC ms", "PREFILL tok/s",
            "DECODE tok/s", "MEL ms", "MEL FEATURES", "IDS = jvm", "TOTAL s"});
        boolean ok = reference != null;
        for (Row r : rows) {
            if (r.skipped() != null) {
                ok = false;
                cells.add(new String[] {r.device(), "-", "-", "-", "-", "-", "-", "-", "skipped", "-"});
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
            cells.add(new String[] {r.device(), f1(r.imageMs()), f1(r.videoMs()),
                r.ids() != null && anyAudio(rows) ? f1(r.audioEncodeMs()) : "-", f1(r.prefillTps()), f1(r.decodeTps()),
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
        out.println("Times are of the first run on each device: IMAGE includes compiling the vision encoder's kernels, "
                + "AUDIO ENC the audio encoder's, PREFILL the decoder's; MEL is the log-mel feature extractor alone.");
        rows.stream().filter(r -> r.skipped() != null).forEach(r -> err.println(r.device() + " skipped: " + r.skipped()));
        out.println(ok ? "All " + rows.size() + " devices ran and generated the same tokens."
                : "Not every device ran and agreed with jvm.");
        out.flush();
        err.flush();
        return ok ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    private static boolean anyAudio(List<Row> rows) {
        return rows.stream().anyMatch(r -> r.audioEncodeMs() > 0);
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
