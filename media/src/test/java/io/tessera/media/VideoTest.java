package io.tessera.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.media.audio.AudioLoader;
import io.tessera.media.image.RgbImage;
import io.tessera.media.video.VideoDecoder;
import io.tessera.media.video.VideoFrame;
import io.tessera.media.video.VideoSampling;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Videos of 40 frames at 10 fps whose frame k shows the bits of k as white columns. */
class VideoTest {
    static List<String> videos() throws Exception {
        return Files.readAllLines(Fixtures.file("videos.txt")).stream().filter(s -> !s.isBlank()).toList();
    }

    /** The index a frame shows: bit b is column block b (20 px wide) being bright. */
    static int shownIndex(RgbImage image) {
        int index = 0;
        for (int b = 0; b < 8; b++) {
            long sum = 0;
            int count = 0;
            for (int y = 8; y < image.height() - 8; y += 4) {
                for (int x = b * 20 + 5; x < b * 20 + 15; x++) {
                    sum += image.get(x, y, 1);
                    count++;
                }
            }
            if (sum / count > 128) {
                index |= 1 << b;
            }
        }
        return index;
    }

    /**
     * ffmpeg's AVI muxer writes an empty chunk after the first frame, so frame k ≥ 1 has timestamp
     * (k+1)/10 and the stream lasts 4.1 s: the frame shown at a time differs from the other files.
     */
    static boolean avi(String name) {
        return name.endsWith(".avi");
    }

    static MediaInput.Video open(String name) {
        MediaInput input = MediaInput.of(Fixtures.file("video_" + name));
        assertThat(input).as(name + " detected as " + input.mimeType()).isInstanceOf(MediaInput.Video.class);
        return (MediaInput.Video) input;
    }

    @ParameterizedTest
    @MethodSource("videos")
    void uniformSamplingReturnsTheExpectedFrames(String name) {
        MediaInput.Video video = open(name);
        List<VideoFrame> frames = new VideoDecoder().sample(video, VideoSampling.uniform(8));
        assertThat(frames).hasSize(8);
        for (int i = 0; i < 8; i++) {
            VideoFrame f = frames.get(i);
            assertThat(shownIndex(f.image())).as(name + " content of sample " + i).isEqualTo(f.index());
            assertThat(f.image().width()).isEqualTo(160);
            if (!avi(name)) {
                // 40 frames, 8 samples: frames 0, 5, 10, ... at 0.5 s steps.
                assertThat(f.index()).as(name + " sample " + i).isEqualTo(5 * i);
                assertThat(f.timestampMicros()).isCloseTo(500_000L * i, org.assertj.core.data.Offset.offset(2_000L));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("videos")
    void rateSamplingWithSizeCap(String name) {
        MediaInput.Video video = open(name);
        List<VideoFrame> frames = new VideoDecoder().sample(video, VideoSampling.rate(3.0).withMaxSide(80));
        for (VideoFrame f : frames) {
            assertThat(f.timestampMicros()).isLessThanOrEqualTo(f.requestedMicros() + 1000);
        }
        if (avi(name)) {
            return;
        }
        // 4 s at 3 fps: times 0, 1/3, ..., 11/3 -> frames floor(10 t).
        assertThat(frames).hasSize(12);
        for (int k = 0; k < frames.size(); k++) {
            int expected = (int) Math.floor(k * 10 / 3.0 + 1e-9);
            assertThat(frames.get(k).index()).as(name + " t=" + k + "/3").isEqualTo(expected);
            assertThat(frames.get(k).image().width()).isEqualTo(80);
            assertThat(frames.get(k).image().height()).isEqualTo(48);
        }
        assertThat(frames.get(6).mmss()).isEqualTo("00:02");
    }

    @ParameterizedTest
    @MethodSource("videos")
    void audioTrackComesOutAt16kMono(String name) {
        float[] samples = new AudioLoader().load16kMono(open(name));
        assertThat(samples.length / 16000.0).as(name).isBetween(3.8, 4.2);
        double re = 0;
        double im = 0;
        double total = 0;
        for (int i = 16000; i < 48000; i++) {
            re += samples[i] * Math.cos(2 * Math.PI * 1000 * i / 16000.0);
            im += samples[i] * Math.sin(2 * Math.PI * 1000 * i / 16000.0);
            total += samples[i] * samples[i];
        }
        assertThat(2 * (re * re + im * im) / 32000 / total).as(name).isGreaterThan(0.98);
    }

    @Test
    void aFileWithoutAVideoStreamIsRefused() {
        MediaInput input = MediaInput.of(Fixtures.file("audio_only.mp4"));
        MediaInput.Video asVideo = new MediaInput.Video(input.source(), input.mimeType());
        assertThatThrownBy(() -> new VideoDecoder().sample(asVideo, VideoSampling.uniform(4)))
                .isInstanceOf(MediaFormatException.class).hasMessageContaining("audio_only.mp4").hasMessageContaining("no video stream");
    }

    @Test
    void truncatedMp4IsOneClearError() throws Exception {
        byte[] bytes = Files.readAllBytes(Fixtures.file("video_h264.mp4"));
        byte[] half = java.util.Arrays.copyOf(bytes, bytes.length / 2);
        MediaInput input = MediaInput.of("half.mp4", half);
        assertThat(input).isInstanceOf(MediaInput.Video.class);
        assertThatThrownBy(() -> new VideoDecoder().sample((MediaInput.Video) input, VideoSampling.uniform(4)))
                .isInstanceOf(MediaFormatException.class).hasMessageStartingWith("half.mp4: ");
    }

    @Test
    void aCorruptFrameIsSkippedAndTheFrameBeforeItShowsInItsPlace() {
        MediaInput.Video clean = open("mjpeg.mkv");
        List<VideoFrame> reference = new VideoDecoder().sample(clean, VideoSampling.uniform(8));
        for (int i = 0; i < 8; i++) {
            assertThat(shownIndex(reference.get(i).image())).as("clean sample " + i).isEqualTo(5 * i);
        }
        long errorsBefore = Ffmpeg.decodeErrors();
        List<VideoFrame> frames = new VideoDecoder().sample(open("corrupt_frame.mkv"), VideoSampling.uniform(8));
        assertThat(Ffmpeg.decodeErrors()).as("FFmpeg's decoding error is seen (and warned about)")
                .isGreaterThan(errorsBefore);
        assertThat(frames).hasSize(8);
        for (int i = 0; i < 8; i++) {
            // Frame 20 (sample 4, at 2.0 s) does not decode: the frame displayed then is frame 19.
            int expected = i == 4 ? 19 : 5 * i;
            assertThat(shownIndex(frames.get(i).image())).as("sample " + i).isEqualTo(expected);
        }
        assertThat(frames.get(4).timestampMicros()).isCloseTo(1_900_000L, org.assertj.core.data.Offset.offset(2_000L));
        assertThat(frames.get(5).timestampMicros()).isCloseTo(2_500_000L, org.assertj.core.data.Offset.offset(2_000L));
    }

    @Test
    void aVideoInWhichNoFrameDecodesIsOneClearError() {
        assertThatThrownBy(() -> new VideoDecoder().sample(open("all_corrupt.mkv"), VideoSampling.uniform(4)))
                .isInstanceOf(MediaFormatException.class).hasMessageContaining("video_all_corrupt.mkv")
                .hasMessageContaining("decodes to no frames");
    }
}
