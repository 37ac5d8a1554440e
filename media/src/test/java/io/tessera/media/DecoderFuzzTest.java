package io.tessera.media;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tessera.media.audio.AudioLoader;
import io.tessera.media.audio.WavDecoder;
import io.tessera.media.image.ImageDecoder;
import io.tessera.media.video.VideoDecoder;
import io.tessera.media.video.VideoSampling;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Every decoder entry point either decodes or throws {@link MediaFormatException}; nothing else
 * escapes. In the normal suite Jazzer replays the seed corpus, which is written here from the
 * generated fixtures (small truncated and bit-flipped media files) into the test class path
 * before the inputs are listed; with JAZZER_FUZZ=1 it fuzzes from those seeds.
 */
class DecoderFuzzTest {
    private static final ImageDecoder IMAGES = new ImageDecoder(new ImageDecoder.Limits(4_000_000, 1 << 22));
    private static final AudioLoader AUDIO = new AudioLoader(new AudioLoader.Limits(60, 1 << 22));

    static {
        writeSeeds();
    }

    private static void writeSeeds() {
        Path fixtures;
        try {
            fixtures = Fixtures.dir();
        } catch (RuntimeException e) {
            return; // Without fixtures the corpus is Jazzer's empty input only.
        }
        Path root = Path.of("target/test-classes/io/tessera/media/DecoderFuzzTestInputs");
        seed(root, "image", fixtures, "img_gray.png", "exif_6.jpg", "img.gif", "img.bmp", "img_lossless.webp");
        seed(root, "wav", fixtures, "tone_44100_8.wav", "tone_44100_32f.wav");
        seed(root, "detection", fixtures, "img.png", "tone_8000.wav", "tone_44100.flac");
        seed(root, "ffmpegAudio", fixtures, "tone_44100.flac", "tone_44100.opus");
        seed(root, "video", fixtures, "video_h264.mp4", "video_vp9.webm");
    }

    private static void seed(Path root, String method, Path fixtures, String... names) {
        try {
            Path dir = Files.createDirectories(root.resolve(method));
            for (String name : names) {
                byte[] bytes = Files.readAllBytes(fixtures.resolve(name));
                byte[] head = java.util.Arrays.copyOf(bytes, Math.min(bytes.length, 6000));
                Files.write(dir.resolve(name + ".head"), head);
                byte[] flipped = head.clone();
                for (int i = 40; i < flipped.length; i += 97) {
                    flipped[i] ^= (byte) 0x5A;
                }
                Files.write(dir.resolve(name + ".flipped"), flipped);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void image(byte[] data) {
        try {
            IMAGES.decode("fuzz", data);
        } catch (MediaFormatException expected) {
            // The only allowed failure.
        }
    }

    @FuzzTest(maxDuration = "10s")
    void wav(byte[] data) {
        try {
            WavDecoder.decode("fuzz", data);
        } catch (MediaFormatException expected) {
            // The only allowed failure.
        }
    }

    @FuzzTest(maxDuration = "10s")
    void detection(byte[] data) {
        try {
            MediaInput.of("fuzz", data);
        } catch (MediaFormatException expected) {
            // The only allowed failure.
        }
    }

    @FuzzTest(maxDuration = "10s")
    void ffmpegAudio(byte[] data) {
        try {
            AUDIO.load16kMono(new MediaInput.Audio(MediaSource.of("fuzz", data), "audio/unknown"));
        } catch (MediaFormatException expected) {
            // The only allowed failure.
        }
    }

    @FuzzTest(maxDuration = "10s")
    void video(byte[] data) {
        try {
            new VideoDecoder().sample(new MediaInput.Video(MediaSource.of("fuzz", data), "video/unknown"), VideoSampling.uniform(2));
        } catch (MediaFormatException expected) {
            // The only allowed failure.
        }
    }
}
