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

import io.tessera.tasks.api.Device;

/** {@code tessera demo} writes its inputs, runs on jvm and pocl, and the two generate the same tokens. */
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
        for (String f : List.of("gemma3-random-text.gguf", "gemma3-random-mmproj.gguf", "scene.png", "chirp.wav",
                "ball.mp4")) {
            assertThat(dir.resolve(f)).isRegularFile();
            assertThat(Files.size(dir.resolve(f))).isPositive();
        }
        List<String> rows = r.out().lines().filter(l -> l.startsWith("jvm ") || l.startsWith(pocl + " ")).toList();
        assertThat(rows).hasSize(2);
        for (String row : rows) {
            assertThat(row.split("\\s+")).as(row).hasSize(9);
            assertThat(row.split("\\s+")[7]).as(row).isEqualTo("yes");
        }
        // each device's ids are printed: pocl's equal jvm's, token for token
        assertThat(ids(r.out(), "jvm")).hasSize(6).isEqualTo(ids(r.out(), pocl));
        assertThat(r.out()).contains("has no audio encoder");
    }

    private static List<String> ids(String out, String device) {
        Matcher m = Pattern.compile("ids " + Pattern.quote(device) + ": \\[([0-9, ]+)]").matcher(out);
        assertThat(m.find()).as("ids of " + device + " in " + out).isTrue();
        return List.of(m.group(1).split(", "));
    }
}
