package io.tessera.pipeline.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

import io.tessera.media.FloatTensor;
import io.tessera.media.MediaFormatException;
import io.tessera.media.MediaInput;
import io.tessera.media.image.ImageDecoder;
import io.tessera.media.image.ImagePreprocessor;
import io.tessera.media.video.VideoDecoder;
import io.tessera.media.video.VideoFrame;
import io.tessera.media.video.VideoSampling;
import io.tessera.pipeline.vision.Interleaver;
import io.tessera.pipeline.vision.VideoFrames;
import io.tessera.pipeline.vision.VisionEncoder;
import io.tessera.pipeline.vision.VisionPreprocessing;
import io.tessera.tokenizer.ChatMessage;
import picocli.CommandLine.Option;

/** The media of a prompt: images, audio clips and a video for the encoders of an mmproj file. */
final class MediaOptions {
    @Option(names = "--mmproj", paramLabel = "FILE",
            description = "mmproj GGUF file (clip) for --image, --audio and --video.")
    Path mmproj;

    @Option(names = "--image", paramLabel = "FILE",
            description = "An image (repeatable); placed at each {image} of the text, or first.")
    List<Path> images = new ArrayList<>();

    @Option(names = "--audio", paramLabel = "FILE",
            description = "An audio clip (repeatable), decoded to 16 kHz mono; placed at each {audio} of the text, "
                + "or first.")
    List<Path> audio = new ArrayList<>();

    @Option(names = "--video", paramLabel = "FILE",
            description = "A video: sampled frames with their mm:ss timestamps, at {video} in the text, or first; "
                + "with an audio mmproj, its audio track follows each frame up to the next one.")
    Path video;

    @Option(names = "--frames", paramLabel = "N", defaultValue = "8",
            description = "Video frames, sampled uniformly (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--fps", paramLabel = "R", description = "Sample the video at R frames per second instead.")
    Double fps;

    boolean any() {
        return !images.isEmpty() || !audio.isEmpty() || video != null;
    }

    /** Decoded frames of --video, or none. */
    List<VideoFrame> videoFrames() {
        if (video == null) {
            return List.of();
        }
        if (fps == null && frames <= 0) {
            throw new IllegalArgumentException("--frames must be positive, not " + frames);
        }
        if (fps != null && !(fps > 0)) {
            throw new IllegalArgumentException("--fps must be positive, not " + fps);
        }
        return new VideoDecoder().sample(as(MediaInput.of(video), MediaInput.Video.class, video),
                fps != null ? VideoSampling.rate(fps) : VideoSampling.uniform(frames));
    }

    /** The user turn's content: the images, then the video's timestamped frames, around the text. */
    static List<ChatMessage.Content> content(String text, int images, List<VideoFrame> clip) {
        if (clip.isEmpty()) {
            return Interleaver.userContent(text, images);
        }
        List<ChatMessage.Content> content = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            content.add(new ChatMessage.Image());
        }
        content.addAll(VideoFrames.userContent(text, clip));
        return content;
    }

    /** Soft tokens of image i: the --image files first (encoded now), then the video's frames (encoded in batches when reached). */
    IntFunction<float[]> embeddings(VisionEncoder encoder, List<VideoFrame> clip) {
        var preprocessing = VisionPreprocessing.of(encoder.config());
        List<FloatTensor> pixels = new ArrayList<>();
        for (Path p : images) {
            pixels.add(ImagePreprocessor.preprocess(
                    new ImageDecoder().decode(as(MediaInput.of(p), MediaInput.Image.class, p)), preprocessing));
        }
        List<float[]> encoded = pixels.isEmpty() ? List.of() : encoder.encode(pixels);
        IntFunction<float[]> frameEmbeddings = clip.isEmpty() ? null : VideoFrames.lazyEmbeddings(encoder, clip, 4);
        return i -> i < encoded.size() ? encoded.get(i) : frameEmbeddings.apply(i - encoded.size());
    }

    static <T extends MediaInput> T as(MediaInput input, Class<T> kind, Path file) {
        if (!kind.isInstance(input)) {
            throw new MediaFormatException(file.toString(), "expected " + kind.getSimpleName().toLowerCase(Locale.ROOT)
                    + ", found " + input.mimeType());
        }
        return kind.cast(input);
    }
}
