package io.tessera.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tessera ask} with --mmproj, --image and --video on a random-weight Gemma 3 pair. */
class AskMediaTest {
    @TempDir
    static Path dir;

    static Map<String, Path> files;

    @BeforeAll
    static void writeFiles() {
        files = DemoFiles.ensure(dir);
    }

    private static CliHarness ask(String... extra) {
        String[] base = {"ask", "--model", files.get("model").toString(), "--quiet", "--greedy", "-n", "3",
            "--backend", "jvm"};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliHarness.run(args);
    }

    @Test
    void answersAboutAnImageAndAVideo() {
        CliHarness r = ask("--mmproj", files.get("mmproj").toString(), "--image", files.get("image").toString(),
                "--video", files.get("video").toString(), "--frames", "2", "--tile", "64", "What moves in {video}?");
        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void mediaWithoutMmprojIsAUsageError() {
        CliHarness r = ask("--image", files.get("image").toString(), "What is this?");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).startsWith("tessera: --image, --audio and --video need --mmproj");
    }

    @Test
    void aTileSmallerThanAnImageBlockIsAUsageError() {
        CliHarness r = ask("--mmproj", files.get("mmproj").toString(), "--image", files.get("image").toString(),
                "--tile", "8", "What is this?");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("is smaller than an image block");
    }

    @Test
    void aSoundGivenAsAnImageIsBadInput() {
        CliHarness r = ask("--mmproj", files.get("mmproj").toString(), "--image", files.get("audio").toString(), "x");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains("expected image");
    }

    @Test
    void placeholdersMustMatchTheImages() {
        CliHarness r = ask("--mmproj", files.get("mmproj").toString(), "--image", files.get("image").toString(),
                "{image} and {image}");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("placeholders for 1 images");
    }
}
