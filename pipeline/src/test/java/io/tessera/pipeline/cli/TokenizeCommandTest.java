package io.tessera.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The tokenize/detokenize commands on a small hand-written tokenizer.json whose ids are known. */
class TokenizeCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** Vocabulary: <pad> <eos> <bos> <unk> ▁ a b ab ▁ab <0x..> x256 <start_of_turn>(special). */
    private Path tokenizerJson() throws Exception {
        StringBuilder vocab = new StringBuilder("{\"<pad>\":0,\"<eos>\":1,\"<bos>\":2,\"<unk>\":3,\"\u2581\":4,\"a\":5,\"b\":6,\"ab\":7,\"\u2581ab\":8");
        for (int b = 0; b < 256; b++) {
            vocab.append(",\"<0x%02X>\":%d".formatted(b, 9 + b));
        }
        vocab.append('}');
        String json = """
                {"added_tokens":[{"id":0,"content":"<pad>","special":true},{"id":1,"content":"<eos>","special":true},
                 {"id":2,"content":"<bos>","special":true},{"id":3,"content":"<unk>","special":true},
                 {"id":265,"content":"<start_of_turn>","special":true}],
                 "normalizer":{"type":"Replace","pattern":{"String":" "},"content":"\u2581"},
                 "pre_tokenizer":null,
                 "post_processor":{"type":"TemplateProcessing","single":[{"SpecialToken":{"id":"<bos>","type_id":0}},{"Sequence":{"id":"A","type_id":0}}],
                   "special_tokens":{"<bos>":{"id":"<bos>","ids":[2],"tokens":["<bos>"]}}},
                 "decoder":{"type":"Sequence","decoders":[{"type":"Replace","pattern":{"String":"\u2581"},"content":" "},{"type":"ByteFallback"},{"type":"Fuse"}]},
                 "model":{"type":"BPE","unk_token":"<unk>","byte_fallback":true,"fuse_unk":true,"vocab":VOCAB,
                   "merges":[["a","b"],["\u2581","ab"]]}}
                """.replace("VOCAB", vocab);
        Path file = dir.resolve("tok.bin");
        Files.writeString(file, json);
        return file;
    }

    private int run(Object command, String... args) {
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void tokenizesTextAsIdsOrJson() throws Exception {
        Path model = tokenizerJson();
        assertThat(run(new TokenizeCommand(), "--model", model.toString(), "ab ab")).isEqualTo(0);
        assertThat(out.toString().strip()).isEqualTo("2 7 8");
        out.getBuffer().setLength(0);
        assertThat(run(new TokenizeCommand(), "--model", model.toString(), "--no-bos", "--json", "--", "-ab é")).isEqualTo(0);
        // '-' has no token: bytes 0x2D; 'é' is bytes C3 A9
        assertThat(out.toString().strip()).isEqualTo("{\"ids\":[%d,7,4,%d,%d]}".formatted(9 + 0x2D, 9 + 0xC3, 9 + 0xA9));
        out.getBuffer().setLength(0);
        assertThat(run(new TokenizeCommand(), "--model", model.toString(), "--no-bos", "--special", "<start_of_turn>ab")).isZero();
        assertThat(out.toString().strip()).isEqualTo("265 7");
    }

    @Test
    void readsStdinAndJsonl() throws Exception {
        Path model = tokenizerJson();
        TokenizeCommand c = new TokenizeCommand();
        c.stdin = new ByteArrayInputStream("ab".getBytes(StandardCharsets.UTF_8));
        assertThat(run(c, "--model", model.toString(), "--no-bos", "-")).isZero();
        assertThat(out.toString().strip()).isEqualTo("7");
        out.getBuffer().setLength(0);
        Path in = dir.resolve("in.jsonl");
        Files.writeString(in, "{\"id\":\"x\",\"text\":\"ab\"}\n\n{\"id\":7,\"text\":\" ab\"}\n");
        assertThat(run(new TokenizeCommand(), "--model", model.toString(), "--jsonl", in.toString())).isZero();
        assertThat(out.toString().strip().split("\n")).containsExactly("{\"id\":\"x\",\"ids\":[2,7]}", "{\"id\":7,\"ids\":[2,8]}");
        Files.writeString(in, "{\"id\":1,\"text\":\"ab\"}\n{oops\n");
        assertThat(run(new TokenizeCommand(), "--model", model.toString(), "--jsonl", in.toString())).isEqualTo(3);
        assertThat(err.toString()).contains(in + ":2: not valid JSON");
    }

    @Test
    void badFilesAndUsage() throws Exception {
        Path junk = dir.resolve("junk.gguf");
        Files.write(junk, "GGUF\u0003\u0000\u0000\u0000".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(run(new TokenizeCommand(), "--model", junk.toString(), "hi")).isEqualTo(3);
        assertThat(err.toString()).contains(junk.toString()).contains("at byte 8").contains("truncated");
        err.getBuffer().setLength(0);
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "hello");
        assertThat(run(new TokenizeCommand(), "--model", text.toString(), "hi")).isEqualTo(3);
        assertThat(err.toString()).contains("is neither a tokenizer.json");
        assertThat(run(new TokenizeCommand(), "--model", text.toString())).isEqualTo(2);
        assertThat(run(new TokenizeCommand(), "hi")).isEqualTo(2);
    }

    @Test
    void detokenizes() throws Exception {
        Path model = tokenizerJson();
        assertThat(run(new DetokenizeCommand(), "--model", model.toString(), "2", "7", "8", String.valueOf(9 + 0xC3),
                String.valueOf(9 + 0xA9))).isZero();
        assertThat(out.toString()).isEqualTo("<bos>ab abé" + System.lineSeparator());
        out.getBuffer().setLength(0);
        assertThat(run(new DetokenizeCommand(), "--model", model.toString(), "--skip-special", "2", "8")).isZero();
        assertThat(out.toString().strip()).isEqualTo("ab");
        assertThat(run(new DetokenizeCommand(), "--model", model.toString(), "99999")).isEqualTo(2);
        assertThat(err.toString()).contains("outside the vocabulary");
    }
}
