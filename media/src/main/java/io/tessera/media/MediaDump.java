package io.tessera.media;

import io.tessera.media.audio.AudioFeatures;
import io.tessera.media.audio.AudioLoader;
import io.tessera.media.image.ImageDecoder;
import io.tessera.media.image.ImagePreprocessor;
import io.tessera.media.image.RgbImage;
import io.tessera.media.video.VideoDecoder;
import io.tessera.media.video.VideoFrame;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Writes the tensors a model would receive for one media file as {@code .npy} files, for
 * comparison with a reference, and reports their shapes and statistics. Backs
 * {@code tessera media --image|--audio|--video FILE --preset P --dump DIR [--frames]}.
 */
public final class MediaDump {
    /** One written tensor. */
    public record Tensor(String name, Path file, int[] shape, FloatTensor.Stats stats) {
        @Override
        public String toString() {
            return name + " " + java.util.Arrays.toString(shape) + " " + stats;
        }
    }

    /** Everything written for one input; {@code notes} are facts such as frame timestamps. */
    public record Report(String input, String detectedType, List<Tensor> tensors, List<Path> pictures, List<String> notes) {}

    private MediaDump() {}

    public static Report image(MediaInput input, Preset preset, Path dir) {
        if (!(input instanceof MediaInput.Image image)) {
            throw new MediaFormatException(input.name(), "is not an image (detected " + input.mimeType() + ")");
        }
        if (preset.image() == null) {
            throw new IllegalArgumentException("preset " + preset.name() + " takes no images");
        }
        Writer w = new Writer(dir);
        RgbImage rgb = new ImageDecoder().decode(image);
        List<FloatTensor> tensors = ImagePreprocessor.preprocessAll(rgb, preset.image());
        for (int i = 0; i < tensors.size(); i++) {
            w.tensor(i == 0 ? "pixel_values" : "pixel_values_crop" + i, tensors.get(i));
        }
        w.notes.add("decoded " + rgb.width() + "x" + rgb.height() + ", " + (tensors.size() - 1) + " pan-and-scan crops");
        return w.report(input);
    }

    public static Report audio(MediaInput input, Preset preset, Path dir) {
        return audio(input, preset, dir, null);
    }

    /**
     * As {@link #audio(MediaInput, Preset, Path)}, with the features computed by {@code extractor}
     * (the same extractor run elsewhere, e.g. on a device) instead of the preset's own.
     */
    public static Report audio(MediaInput input, Preset preset, Path dir,
                               java.util.function.Function<float[], List<AudioFeatures>> extractor) {
        if (preset.audio() == null) {
            throw new IllegalArgumentException("preset " + preset.name() + " takes no audio");
        }
        Writer w = new Writer(dir);
        float[] samples = new AudioLoader().load16kMono(input);
        w.tensor("waveform_16k", new FloatTensor(new int[] {samples.length}, samples));
        features(w, preset, samples, extractor);
        return w.report(input);
    }

    public static Report video(MediaInput input, Preset preset, Path dir, boolean pictures) {
        return video(input, preset, dir, pictures, null);
    }

    /** As {@link #video(MediaInput, Preset, Path, boolean)}, with the audio track's features from {@code extractor}. */
    public static Report video(MediaInput input, Preset preset, Path dir, boolean pictures,
                               java.util.function.Function<float[], List<AudioFeatures>> extractor) {
        if (!(input instanceof MediaInput.Video video)) {
            throw new MediaFormatException(input.name(), "is not a video (detected " + input.mimeType() + ")");
        }
        if (preset.video() == null || preset.videoFrames() == null) {
            throw new IllegalArgumentException("preset " + preset.name() + " takes no video");
        }
        Writer w = new Writer(dir);
        VideoDecoder decoder = new VideoDecoder();
        VideoDecoder.Info info = decoder.info(video);
        List<VideoFrame> frames = decoder.sample(video, preset.video());
        float[] timestamps = new float[frames.size()];
        for (int i = 0; i < frames.size(); i++) {
            VideoFrame f = frames.get(i);
            timestamps[i] = f.timestampMicros() / 1e6f;
            w.tensor(String.format("frame_%03d", i), ImagePreprocessor.preprocess(f.image(), preset.videoFrames()));
            w.notes.add(String.format("frame %d: index %d at %s (%.3f s)", i, f.index(), f.mmss(), f.timestampMicros() / 1e6));
            if (pictures) {
                w.png(String.format("frame_%03d", i), f.image());
            }
        }
        w.tensor("timestamps", new FloatTensor(new int[] {timestamps.length}, timestamps));
        if (info.hasAudio() && preset.audio() != null) {
            float[] samples = new AudioLoader().load16kMono(input);
            w.tensor("waveform_16k", new FloatTensor(new int[] {samples.length}, samples));
            features(w, preset, samples, extractor);
        }
        return w.report(input);
    }

    private static void features(Writer w, Preset preset, float[] samples,
                                 java.util.function.Function<float[], List<AudioFeatures>> extractor) {
        List<AudioFeatures> chunks = extractor == null ? preset.audio().extract(samples) : extractor.apply(samples);
        for (int c = 0; c < chunks.size(); c++) {
            AudioFeatures f = chunks.get(c);
            w.tensor("input_features_" + c, f.features());
            if (f.mask() != null) {
                w.mask("input_features_mask_" + c, f.mask());
            }
        }
        w.notes.add(chunks.size() + " audio chunk(s), " + samples.length + " samples at 16 kHz");
    }

    /** Writes files into one directory and collects what it wrote. */
    private static final class Writer {
        final Path dir;
        final List<Tensor> tensors = new ArrayList<>();
        final List<Path> pictures = new ArrayList<>();
        final List<String> notes = new ArrayList<>();

        Writer(Path dir) {
            this.dir = dir;
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create dump directory " + dir, e);
            }
        }

        void tensor(String name, FloatTensor t) {
            Path file = dir.resolve(name + ".npy");
            try {
                NpyWriter.write(file, t);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
            tensors.add(new Tensor(name, file, t.shape(), t.stats()));
        }

        void mask(String name, boolean[] mask) {
            Path file = dir.resolve(name + ".npy");
            try {
                NpyWriter.write(file, mask);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
            float[] asFloat = new float[mask.length];
            for (int i = 0; i < mask.length; i++) {
                asFloat[i] = mask[i] ? 1 : 0;
            }
            tensors.add(new Tensor(name, file, new int[] {mask.length}, new FloatTensor(new int[] {mask.length}, asFloat).stats()));
        }

        void png(String name, RgbImage image) {
            Path file = dir.resolve(name + ".png");
            BufferedImage b = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_3BYTE_BGR);
            byte[] data = ((java.awt.image.DataBufferByte) b.getRaster().getDataBuffer()).getData();
            byte[] rgb = image.rgb();
            for (int i = 0; i < rgb.length; i += 3) {
                data[i] = rgb[i + 2];
                data[i + 1] = rgb[i + 1];
                data[i + 2] = rgb[i];
            }
            try {
                ImageIO.write(b, "png", file.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
            pictures.add(file);
        }

        Report report(MediaInput input) {
            return new Report(input.name(), input.mimeType(), List.copyOf(tensors), List.copyOf(pictures), List.copyOf(notes));
        }
    }
}
