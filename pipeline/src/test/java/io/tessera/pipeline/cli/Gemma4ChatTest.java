package io.tessera.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.model.Architecture;
import io.tessera.pipeline.model.Model;
import io.tessera.pipeline.model.RandomGemmaFile;
import io.tessera.tokenizer.ChatMessage;
import io.tessera.tokenizer.ChatTemplate;
import io.tessera.tokenizer.SentencePieceVocab;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** generate --chat and ask on a gemma4 file use Gemma 4's turn format and stop at its turn close. */
class Gemma4ChatTest {
    static final int TURN_OPEN = 4;
    static final int TURN_CLOSE = 5;

    @TempDir
    static Path dir;
    static Path model;

    /** A tiny E-style gemma4 file whose vocabulary has Gemma 4's turn markers where Gemma 3's are. */
    @BeforeAll
    static void write() throws IOException {
        RandomGemmaFile f = new RandomGemmaFile(Architecture.GEMMA4, 3, 64, 96, 2, 1, 32, 300, 8, 64,
                GgufTensorType.F32, GgufTensorType.F32, 1e6f, 1f, 0f, 30f, 5,
                new RandomGemmaFile.Gemma4Layout(3, 64, 1, 0.25f, 10_000f, 0, 16, false, true, false));
        SentencePieceVocab v = f.vocabulary();
        String[] tokens = v.tokens();
        tokens[TURN_OPEN] = "<|turn>";
        tokens[TURN_CLOSE] = "<turn|>";
        model = dir.resolve("gemma4-chat.gguf");
        f.write(model, new SentencePieceVocab(tokens, v.scores(), v.types(), v.bosId(), v.eosId(), v.unknownId(),
                v.paddingId(), v.addBos()));
    }

    @Test
    void generateChatRendersGemma4Turns() throws IOException {
        CliHarness r = CliHarness.run("generate", "--model", model.toString(), "--prompt", "the of", "-n", "3",
                "--greedy", "--chat", "--json", "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode ids = JsonMapper.builder().build().readTree(r.out()).get("prompt_ids");
        int[] prompt = new int[ids.size()];
        for (int i = 0; i < prompt.length; i++) {
            prompt[i] = ids.get(i).asInt();
        }
        try (Model m = Model.load(model)) {
            assertThat(m.chatTemplate()).isEqualTo(ChatTemplate.GEMMA4);
            assertThat(m.endTokens()).contains(TURN_CLOSE);
            int[] expected = ChatTemplate.GEMMA4.encode(m.tokenizer(), List.of(ChatMessage.user("the of")), true);
            assertThat(prompt).containsExactly(expected);
        }
        // <bos> <|turn> user ... <turn|> ... <|turn> model ...
        assertThat(prompt[0]).isEqualTo(RandomGemmaFile.BOS);
        assertThat(prompt[1]).isEqualTo(TURN_OPEN);
        assertThat(Arrays.stream(prompt).filter(t -> t == TURN_OPEN).count()).isEqualTo(2);
        assertThat(Arrays.stream(prompt).filter(t -> t == TURN_CLOSE).count()).isEqualTo(1);
    }

    @Test
    void askAnswers() {
        CliHarness r = CliHarness.run("ask", "--model", model.toString(), "--quiet", "--greedy", "-n", "4",
                "--system", "be brief", "hello");
        assertThat(r.exitCode()).as(r.err()).isZero();
    }
}
