package io.tessera.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.model.Architecture;
import io.tessera.pipeline.model.RandomGemmaFile;
import io.tessera.pipeline.vision.RandomGemma4MmprojFile;
import io.tessera.tokenizer.SentencePieceVocab;
import io.tessera.tokenizer.TokenType;

/**
 * {@code tessera ask} with a {@code gemma4v} and a {@code gemma4uv} mmproj: an image at the image
 * budget (280 soft tokens) and video frames at the frame budget (70), on a random Gemma 3 text
 * model of width 64 whose vocabulary ends with the Gemma 4 image markers.
 */
class AskGemma4VisionTest {
    @TempDir
    static Path dir;
    static Map<String, Path> media;
    static Path text;
    static Path tower;
    static Path unified;

    @BeforeAll
    static void writeFiles() throws IOException {
        media = DemoFiles.ensure(dir);
        RandomGemmaFile model = new RandomGemmaFile(Architecture.GEMMA3, 2, 64, 128, 4, 2, 16, 320, 64, 1024,
                GgufTensorType.F32, GgufTensorType.F32, 1_000_000f, 1f, 0f, 0f, 7);
        SentencePieceVocab v = model.vocabulary();
        String[] tokens = v.tokens().clone();
        TokenType[] types = v.types().clone();
        String[] markers = {"<|image>", "<image|>", "<|image|>"};
        for (int i = 0; i < markers.length; i++) {
            tokens[tokens.length - markers.length + i] = markers[i];
            types[tokens.length - markers.length + i] = TokenType.CONTROL;
        }
        text = dir.resolve("text-64.gguf");
        model.write(text, new SentencePieceVocab(tokens, v.scores(), types, v.bosId(), v.eosId(), v.unknownId(),
                v.paddingId(), v.addBos()));
        tower = dir.resolve("mmproj-gemma4v.gguf");
        RandomGemma4MmprojFile.encoder(64, 80, 3).write(tower);
        unified = dir.resolve("mmproj-gemma4uv.gguf");
        RandomGemma4MmprojFile.unified(64, 40, 4).write(unified);
    }

    private static CliHarness ask(Path mmproj, String... extra) {
        String[] base = {"ask", "--model", text.toString(), "--quiet", "--greedy", "-n", "3", "--backend", "jvm",
            "--mmproj", mmproj.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliHarness.run(args);
    }

    @Test
    void answersAboutAnImageAndAVideoThroughTheTower() {
        CliHarness r = ask(tower, "--image", media.get("image").toString(), "--video", media.get("video").toString(),
                "--frames", "2", "--tile", "288", "What moves in {video}?");
        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void answersAboutAnImageThroughTheEncoderFreeEmbedder() {
        CliHarness r = ask(unified, "--image", media.get("image").toString(), "--tile", "288", "What is this?");
        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void embedWritesEachImagesSoftTokens() {
        Path out = dir.resolve("g4.npy");
        CliHarness r = CliHarness.run("embed", "--mmproj", tower.toString(), "--image", media.get("image").toString(),
                "--image", media.get("image").toString(), "--out", out.toString(), "--backend", "jvm");
        assertThat(r.exitCode()).isZero();
        // the scene is resized to at most 280 tokens; both copies get the same count
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("image 0: (\\d+)x(\\d+) px, (\\d+) soft tokens")
                .matcher(r.err());
        assertThat(m.find()).as(r.err()).isTrue();
        int tokens = Integer.parseInt(m.group(3));
        assertThat(tokens).isEqualTo(Integer.parseInt(m.group(1)) / 48 * (Integer.parseInt(m.group(2)) / 48))
                .isBetween(200, 280);
        assertThat(r.err()).contains("image 1: " + m.group(1) + "x" + m.group(2) + " px, " + tokens + " soft tokens");
        assertThat(out.toFile().length()).isEqualTo(128 + 4L * 2 * tokens * 64);
    }

    @Test
    void imagesTakeTheImageBudgetAndFramesTheFrameBudget() {
        // an image is scaled to 280 soft tokens or just under, so a tile of 128 cannot hold it
        CliHarness r = ask(tower, "--image", media.get("image").toString(), "--tile", "128", "What is this?");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("is smaller than an image block");
        // frames alone take at most 70
        CliHarness frames = ask(tower, "--video", media.get("video").toString(), "--frames", "2", "--tile", "72",
                "What moves?");
        assertThat(frames.err()).isEmpty();
        assertThat(frames.exitCode()).isZero();
    }
}
