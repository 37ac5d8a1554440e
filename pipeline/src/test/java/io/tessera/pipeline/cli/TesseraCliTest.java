package io.tessera.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TesseraCliTest {

    @Test
    void helpListsTheSubcommands() {
        CliHarness r = CliHarness.run("--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Usage: tessera", "devices");
    }

    @Test
    void unknownOptionIsAUsageErrorOnOneLine() {
        CliHarness r = CliHarness.run("--no-such-option");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).startsWith("tessera: Unknown option: '--no-such-option'");
        assertThat(r.err().lines()).hasSize(2);
    }

    @Test
    void noSubcommandPrintsUsageAndExitsWithUsageCode() {
        CliHarness r = CliHarness.run();
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.out()).contains("Usage: tessera");
    }

    @Test
    void badConfigurationIsABadInputWithoutStackTrace(@TempDir Path conf) throws IOException {
        Files.writeString(conf.resolve("backends.yaml"), "default: nowhere\n");
        CliHarness r = CliHarness.run("--conf", conf.toString(), "devices");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("tessera: error: " + conf.resolve("backends.yaml"))
                .contains("'nowhere' is not a device selector");
    }

    @Test
    void debugAddsTheStackTrace(@TempDir Path conf) throws IOException {
        Files.writeString(conf.resolve("backends.yaml"), "default: nowhere\n");
        CliHarness r = CliHarness.run("--debug", "--conf", conf.toString(), "devices");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("\tat io.tessera.");
    }
}
