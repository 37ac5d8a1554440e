package io.tessera.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.model.Model;
import io.tessera.pipeline.model.RandomGemma3nFile;
import io.tessera.tokenizer.ChatMessage;
import io.tessera.tokenizer.ChatTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** generate --chat and eval on a gemma3n file: Gemma 3n's chat template, the AltUp line of the load report. */
class Gemma3nCliTest {
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void write() throws IOException {
        model = dir.resolve("gemma3n.gguf");
        new RandomGemma3nFile(3, 64, 96, 2, 1, 32, 300, 8, 1e6f, 1e4f, 7, GgufTensorType.Q8_0).write(model);
    }

    @Test
    void generateChatEncodesWithGemma3nsTemplate() throws IOException {
        CliHarness r = CliHarness.run("generate", "--model", model.toString(), "--prompt", "the of", "-n", "3",
                "--greedy", "--chat", "--json", "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode ids = JsonMapper.builder().build().readTree(r.out()).get("prompt_ids");
        int[] prompt = new int[ids.size()];
        for (int i = 0; i < prompt.length; i++) {
            prompt[i] = ids.get(i).asInt();
        }
        try (Model m = Model.load(model)) {
            assertThat(m.chatTemplate()).isEqualTo(ChatTemplate.GEMMA3N);
            assertThat(prompt).containsExactly(ChatTemplate.GEMMA3N.encode(m.tokenizer(),
                    List.of(ChatMessage.user("the of")), true));
        }
    }

    @Test
    void evalReportsTheAltUpStreams() {
        CliHarness r = CliHarness.run("eval", "--model", model.toString(), "--prompt", "the of", "--top", "2");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out() + r.err()).contains("gemma3n").contains("altup: 4 streams, LAuReL rank 64");
    }
}
