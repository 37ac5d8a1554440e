package io.tessera.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tessera.media.MediaInput;
import io.tessera.media.video.VideoDecoder;
import io.tessera.pipeline.vision.Mmproj;
import io.tessera.pipeline.vision.ProjectorType;
import io.tessera.tasks.api.Device;

/**
 * {@code tessera demo} writes its inputs (an mmproj with a vision and an audio part, a video with
 * a sound track), lays out the image, the clip and the video with its sound cut at the frame
 * times in one prompt, runs it on jvm and pocl, and the two generate the same tokens; with a
 * vision-only mmproj the sound stays out of the prompt.
 */
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void theDemoRunsOnJvmAndPoclAndTheyAgree() throws Exception {
        String pocl;
        try {
            pocl = Device.select("opencl:pocl").selector();
        } catch (RuntimeException e) {
            Assumptions.abort("opencl:pocl is not available here: " + e.getMessage());
            return;
        }
        CliHarness r = CliHarness.run("demo", "--dir", dir.toString(), "--backends", "jvm,opencl:pocl", "-n", "6");
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out().lines().findFirst()).hasValueSatisfying(l -> assertThat(l).startsWith("The weights are random"));
        for (String f : List.of(DemoFiles.MODEL, DemoFiles.MMPROJ, DemoFiles.IMAGE, DemoFiles.AUDIO, DemoFiles.VIDEO)) {
            assertThat(dir.resolve(f)).isRegularFile();
            assertThat(Files.size(dir.resolve(f))).isPositive();
        }
        try (Mmproj mm = Mmproj.load(dir.resolve(DemoFiles.MMPROJ))) {
            assertThat(mm.hasVision()).isTrue();
            assertThat(mm.config().projector()).isEqualTo(ProjectorType.GEMMA3);
            assertThat(mm.hasAudio()).isTrue();
            assertThat(mm.audio().projector().ggufName()).isEqualTo("gemma4ua");
        }
        assertThat(new VideoDecoder().info((MediaInput.Video) MediaInput.of(dir.resolve(DemoFiles.VIDEO))).hasAudio())
                .as("the demo video has a sound track").isTrue();

        // 1 image + 4 frames; the 2 s clip (50 soft tokens at 640 samples each) and the 4 pieces of
        // the video's ~2 s track (one more token at most per cut)
        Matcher p = Pattern.compile("prompt: (\\d+) positions \\((\\d+) text tokens, 5 images of 16 soft tokens, "
                + "(\\d+) audio soft tokens: the clip and 4 pieces of the video's sound\\)").matcher(r.out());
        assertThat(p.find()).as(r.out()).isTrue();
        int audioTokens = Integer.parseInt(p.group(3));
        assertThat(audioTokens).isBetween(50 + 50, 50 + 54);
        assertThat(Integer.parseInt(p.group(1))).isEqualTo(Integer.parseInt(p.group(2)) + 5 * 16 + audioTokens);
        assertThat(r.out()).contains("the clip and the video's").contains("gemma4ua audio encoder")
                .doesNotContain("not part of the prompt");

        List<String> rows = r.out().lines().filter(l -> l.startsWith("jvm ") || l.startsWith(pocl + " ")).toList();
        assertThat(rows).hasSize(2);
        for (String row : rows) {
            String[] cells = row.split("\\s+");
            assertThat(cells).as(row).hasSize(10);
            assertThat(Double.parseDouble(cells[3])).as("audio encode ms in " + row).isPositive();
            assertThat(cells[8]).as(row).isEqualTo("yes");
        }
        // each device's ids are printed: pocl's equal jvm's, token for token
        assertThat(ids(r.out(), "jvm")).hasSize(6).isEqualTo(ids(r.out(), pocl));
    }

    @Test
    void aVisionOnlyMmprojKeepsTheSoundOutOfThePrompt() throws Exception {
        Path text = dir.resolve("text.gguf");
        Path mmproj = dir.resolve("vision.gguf");
        DemoFiles.writeText(text);
        DemoFiles.mmproj().write(mmproj);
        CliHarness r = CliHarness.run("demo", "--dir", dir.toString(), "--model", text.toString(), "--mmproj",
                mmproj.toString(), "--backends", "jvm", "-n", "3");
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).doesNotContain("The weights are random")
                .contains("the mmproj has no audio encoder, so the sound is not part of the prompt")
                .containsPattern("prompt: \\d+ positions \\(\\d+ text tokens, 5 images of 16 soft tokens\\);");
        String row = r.out().lines().filter(l -> l.startsWith("jvm ")).findFirst().orElseThrow();
        assertThat(row.split("\\s+")[3]).as(row).isEqualTo("-");
        assertThat(ids(r.out(), "jvm")).hasSize(3);
    }

    private static List<String> ids(String out, String device) {
        Matcher m = Pattern.compile("ids " + Pattern.quote(device) + ": \\[([0-9, ]+)]").matcher(out);
        assertThat(m.find()).as("ids of " + device + " in " + out).isTrue();
        return List.of(m.group(1).split(", "));
    }
}
