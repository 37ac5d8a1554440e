package io.tessera.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void shippedFileEqualsTheBuiltInDefaults() {
        Path conf = Path.of(System.getProperty("tessera.repo", "..")).resolve("conf");
        assertThat(ConfigLoader.backends(conf)).isEqualTo(BackendsConfig.defaults());
    }

    @Test
    void absentFileGivesDefaults() {
        assertThat(ConfigLoader.backends(dir)).isEqualTo(BackendsConfig.defaults());
    }

    @Test
    void readsEveryKey() throws IOException {
        write("""
                default: opencl:pocl
                preferences: [opencl:rusticl, jvm]
                jvm:
                  threads: 3
                opencl:
                  buildOptions: "-cl-mad-enable"
                  disabledPlatforms: [rusticl]
                """);
        BackendsConfig c = ConfigLoader.backends(dir);
        assertThat(c.defaultSelector()).isEqualTo("opencl:pocl");
        assertThat(c.preferences()).containsExactly("opencl:rusticl", "jvm");
        assertThat(c.jvm().effectiveThreads()).isEqualTo(3);
        assertThat(c.opencl().buildOptions()).isEqualTo("-cl-mad-enable");
        assertThat(c.opencl().disabledPlatforms()).containsExactly("rusticl");
    }

    @Test
    void badValueNamesFileLineAndKey() throws IOException {
        Path file = write("""
                default: jvm
                jvm:
                  threads: many
                """);
        assertThatThrownBy(() -> ConfigLoader.backends(dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ":3: key 'jvm.threads': ");
    }

    @Test
    void invalidSelectorIsReportedWithTheRecordsReason() throws IOException {
        Path file = write("""
                preferences: [jvm, gpu0]
                """);
        assertThatThrownBy(() -> ConfigLoader.backends(dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("'gpu0' is not a device selector");
    }

    @Test
    void outOfRangeNumberIsReported() throws IOException {
        write("""
                jvm:
                  threads: -2
                """);
        assertThatThrownBy(() -> ConfigLoader.backends(dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("threads must be between 0 and 4096, not -2");
    }

    @Test
    void unknownKeyIsReported() throws IOException {
        Path file = write("""
                default: jvm
                opencl:
                  buildOption: "-w"
                """);
        assertThatThrownBy(() -> ConfigLoader.backends(dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ":3: key 'opencl.buildOption': ");
    }

    @Test
    void malformedYamlIsReported() throws IOException {
        Path file = write("default: [jvm\n");
        assertThatThrownBy(() -> ConfigLoader.backends(dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ":");
    }

    private Path write(String text) throws IOException {
        Path file = dir.resolve("backends.yaml");
        Files.writeString(file, text);
        return file;
    }
}
