package io.tessera.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dump API the CLI calls, read back with an independent NPY reader. */
class MediaDumpTest {
    @Test
    void imageDumpWritesTheNormalisedTensor(@TempDir Path dir) {
        MediaDump.Report r = MediaDump.image(MediaInput.of(Fixtures.file("img.png")), Presets.get("paligemma"), dir);
        assertThat(r.tensors()).hasSize(1);
        MediaDump.Tensor t = r.tensors().getFirst();
        assertThat(t.shape()).containsExactly(3, 224, 224);
        Fixtures.Npy back = npyAt(t.file());
        assertThat(back.shape()).containsExactly(3, 224, 224);
        double min = java.util.Arrays.stream(back.data()).min().orElseThrow();
        assertThat(min).isEqualTo(t.stats().min(), org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void audioDumpWritesFeaturesAndMask(@TempDir Path dir) {
        MediaDump.Report r = MediaDump.audio(MediaInput.of(Fixtures.file("tone_48000.wav")), Presets.get("gemma4"), dir);
        assertThat(r.tensors()).extracting(MediaDump.Tensor::name)
                .containsExactly("waveform_16k", "input_features_0", "input_features_mask_0");
        assertThat(r.tensors().get(0).shape()).containsExactly(32000);
        assertThat(r.tensors().get(1).shape()).containsExactly(199, 128);
        assertThat(npyAt(r.tensors().get(2).file()).size()).isEqualTo(199);
    }

    @Test
    void videoDumpWritesFramesTimestampsAndPictures(@TempDir Path dir) {
        MediaDump.Report r = MediaDump.video(MediaInput.of(Fixtures.file("video_h264.mp4")), Presets.get("gemma4"), dir, true);
        assertThat(r.pictures()).hasSize(32);
        assertThat(r.tensors()).extracting(MediaDump.Tensor::name).contains("frame_000", "frame_031", "timestamps", "input_features_0");
        assertThat(Files.exists(dir.resolve("frame_000.png"))).isTrue();
        assertThat(r.notes()).anyMatch(n -> n.startsWith("frame 31: index 38 at 00:03"));
    }

    @Test
    void unknownPresetListsTheValidOnes() {
        assertThatThrownBy(() -> Presets.get("gemma9")).hasMessageContaining("gemma3, paligemma, gemma3n, gemma4, whisper");
    }

    private static Fixtures.Npy npyAt(Path file) {
        return Fixtures.npy(Fixtures.dir().relativize(file).toString().startsWith("..") ? copy(file) : file.getFileName().toString());
    }

    private static String copy(Path file) {
        try {
            String name = "dump-" + file.getFileName();
            Files.copy(file, Fixtures.dir().resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return name;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
