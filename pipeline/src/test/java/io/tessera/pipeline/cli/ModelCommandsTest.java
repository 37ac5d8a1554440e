package io.tessera.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.model.Architecture;
import io.tessera.pipeline.model.RandomGemmaFile;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** eval, generate, ask and bench on a tiny random model: output formats, exit codes, errors. */
class ModelCommandsTest {
    @TempDir
    static Path dir;
    static String model;

    @BeforeAll
    static void write() throws IOException {
        Path p = dir.resolve("tiny.gguf");
        new RandomGemmaFile(Architecture.GEMMA3, 2, 64, 128, 2, 1, 32, 300, 8, 64, GgufTensorType.Q8_0,
                GgufTensorType.Q8_0, 1e6f, 1f, 0f, 0f, 3).write(p);
        model = p.toString();
    }

    @Test
    void evalPrintsTheTopLogitsOfEveryPositionAsJson() {
        CliHarness r = CliHarness.run("eval", "--model", model, "--ids", "2,100,101,102", "--top", "3", "--json",
                "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode positions = JsonMapper.builder().build().readTree(r.out()).get("positions");
        assertThat(positions).hasSize(4);
        for (int p = 0; p < 4; p++) {
            JsonNode top = positions.get(p).get("top");
            assertThat(positions.get(p).get("pos").asInt()).isEqualTo(p);
            assertThat(top).hasSize(3);
            assertThat(top.get(0).get(1).asDouble()).isGreaterThanOrEqualTo(top.get(1).get(1).asDouble());
            assertThat(top.get(1).get(1).asDouble()).isGreaterThanOrEqualTo(top.get(2).get(1).asDouble());
        }
    }

    @Test
    void greedyGenerateIsReproducibleAndReportsTimings() {
        String[] args = {"generate", "--model", model, "--prompt", "the of and", "-n", "6", "--greedy", "--json",
            "--quiet"};
        CliHarness a = CliHarness.run(args);
        CliHarness b = CliHarness.run(args);
        assertThat(a.exitCode()).as(a.err()).isZero();
        JsonNode j = JsonMapper.builder().build().readTree(a.out());
        assertThat(j.get("prompt_ids").get(0).asInt()).isEqualTo(RandomGemmaFile.BOS);
        assertThat(j.get("ids").size()).isBetween(1, 6);
        assertThat(j.get("timings").get("prefill_tok_s").asDouble()).isPositive();
        assertThat(j.get("ids").toString()).isEqualTo(JsonMapper.builder().build().readTree(b.out()).get("ids")
                .toString());
    }

    @Test
    void seededSamplingIsReproducible() {
        String[] args = {"generate", "--model", model, "--prompt", "the", "-n", "5", "--seed", "7", "--json",
            "--quiet", "--chat"};
        JsonNode a = JsonMapper.builder().build().readTree(CliHarness.run(args).out());
        JsonNode b = JsonMapper.builder().build().readTree(CliHarness.run(args).out());
        assertThat(a.get("ids").toString()).isEqualTo(b.get("ids").toString());
        assertThat(a.get("prompt_ids").toString()).contains("4");
    }

    @Test
    void askStreamsAnAnswer() {
        CliHarness r = CliHarness.run("ask", "--model", model, "--quiet", "--greedy", "-n", "4", "--system", "be brief",
                "hello");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).endsWith(System.lineSeparator());
    }

    @Test
    void benchReportsBothRates() {
        CliHarness r = CliHarness.run("bench", "--model", model, "-p", "8", "-n", "4", "-r", "1", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode row = JsonMapper.builder().build().readTree(r.out()).get("results").get(0);
        assertThat(row.get("backend").asString()).isEqualTo("jvm");
        assertThat(row.get("prompt_tok_s").asDouble()).isPositive();
        assertThat(row.get("decode_tok_s").asDouble()).isPositive();
    }

    @Test
    void badInputsExitWithOneLine() throws IOException {
        Path notGguf = dir.resolve("not.gguf");
        Files.writeString(notGguf, "not a model");
        CliHarness bad = CliHarness.run("eval", "--model", notGguf.toString(), "--ids", "1");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(bad.err().lines().count()).isEqualTo(1);

        CliHarness token = CliHarness.run("eval", "--model", model, "--ids", "2,999", "--quiet");
        assertThat(token.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(token.err()).contains("token id 999").doesNotContain("\tat ");

        CliHarness tooLong = CliHarness.run("eval", "--model", model, "--ids", "2,5,6,7,8", "--ctx", "4", "--quiet");
        assertThat(tooLong.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(tooLong.err()).contains("context of 4");

        CliHarness both = CliHarness.run("eval", "--model", model, "--ids", "2", "--prompt", "x");
        assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);

        CliHarness temp = CliHarness.run("generate", "--model", model, "--ids", "2", "--temperature", "0");
        assertThat(temp.exitCode()).isEqualTo(ExitCodes.USAGE);
    }
}
