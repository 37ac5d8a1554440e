package io.tessera.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class DevicesCommandTest {

    @Test
    void tableListsTheJvmAndEveryBackend() {
        CliHarness r = CliHarness.run("devices");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out().lines().findFirst().orElseThrow()).startsWith("SELECTOR");
        assertThat(r.out()).containsPattern("(?m)^jvm\\s");
        assertThat(r.out()).contains("default device: ");
    }

    @Test
    void jsonParsesAndNamesAllFourBackends() {
        CliHarness r = CliHarness.run("devices", "--json");
        assertThat(r.exitCode()).isZero();
        JsonNode root = JsonMapper.builder().build().readTree(r.out());
        List<String> backends = new ArrayList<>();
        for (JsonNode b : root.get("backends")) {
            backends.add(b.get("backend").asString());
            if (!b.get("available").asBoolean()) {
                assertThat(b.get("reason").asString()).isNotBlank();
                assertThat(b.get("devices")).isEmpty();
            }
        }
        assertThat(backends).containsExactly("jvm", "opencl", "cuda", "spirv");
        assertThat(root.get("backends").get(0).get("devices").get(0).get("selector").asString()).isEqualTo("jvm");
    }
}
