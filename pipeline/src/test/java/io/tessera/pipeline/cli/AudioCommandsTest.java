package io.tessera.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.vision.AudioFixtures;
import io.tessera.pipeline.vision.RandomMmprojFile;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code --audio} on {@code ask}, {@code generate}, {@code eval} and {@code embed}, and the media
 * options of {@code ask} on {@code generate} and {@code eval}, on random-weight files. Token counts
 * are checked against the gemma4ua rule, one soft token per 640 samples begun (mtmd-audio.cpp).
 */
class AudioCommandsTest {
    static final int AUDIO_PLACEHOLDER_OFFSET = 2; // <|audio|> is the 2nd-to-last of AudioFixtures.MARKERS

    @TempDir
    static Path dir;
    static Path text;
    static Path mmproj;
    static Path clip1;
    static Path clip2;
    static Map<String, Path> demo;

    @BeforeAll
    static void files() throws IOException {
        text = dir.resolve("text.gguf");
        AudioFixtures.writeText(text);
        mmproj = dir.resolve("mmproj-a.gguf");
        AudioFixtures.mmproj(GgufTensorType.F32).write(mmproj);
        clip1 = AudioFixtures.wav(dir.resolve("one.wav"), AudioFixtures.clip(0.5, 1)); // 8000 samples: 13 tokens
        clip2 = AudioFixtures.wav(dir.resolve("two.wav"), AudioFixtures.clip(0.32, 2)); // 5120 samples: 8 tokens
        demo = DemoFiles.ensure(dir.resolve("demo"));
    }

    private static CliHarness run(String command, String... extra) {
        String[] base = {command, "--model", text.toString(), "--quiet", "--backend", "jvm"};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliHarness.run(args);
    }

    @Test
    void askAboutTwoClips() {
        CliHarness r = run("ask", "--greedy", "-n", "3", "--mmproj", mmproj.toString(), "--audio", clip1.toString(),
                "--audio", clip2.toString(), "Compare {audio} with {audio}.");
        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void generateLaysOutEachClipWithItsOwnTokenCount() {
        CliHarness r = run("generate", "--greedy", "-n", "2", "--json", "--mmproj", mmproj.toString(), "--audio",
                clip1.toString(), "--audio", clip2.toString(), "--prompt", "First {audio} then {audio} end");
        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
        JsonNode json = JsonMapper.builder().build().readTree(r.out());
        int placeholder = 320 - AUDIO_PLACEHOLDER_OFFSET;
        int runs = 0;
        int run = 0;
        StringBuilder lengths = new StringBuilder();
        for (JsonNode id : json.get("prompt_ids")) {
            if (id.asInt() == placeholder) {
                run++;
            } else if (run > 0) {
                lengths.append(run).append(' ');
                runs++;
                run = 0;
            }
        }
        assertThat(runs).isEqualTo(2);
        assertThat(lengths.toString()).isEqualTo("13 8 ");
        assertThat(json.get("ids")).hasSize(2);
    }

    @Test
    void evalGivesLogitsAtTextPositionsAndAfterEachClip() {
        CliHarness r = run("eval", "--json", "--top", "2", "--mmproj", mmproj.toString(), "--audio", clip2.toString(),
                "--prompt", "Hear {audio} now");
        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
        JsonNode positions = JsonMapper.builder().build().readTree(r.out()).get("positions");
        // <bos> Hear <|audio>, 8 soft tokens, <audio|> now: every position but the first 7 soft tokens
        int total = positions.get(positions.size() - 1).get("pos").asInt() + 1;
        assertThat(positions.size()).isEqualTo(total - 7);
    }

    @Test
    void embedWritesTheSoftTokensOfAClip() throws IOException {
        Path out = dir.resolve("clip.npy");
        CliHarness r = CliHarness.run("embed", "--mmproj", mmproj.toString(), "--audio", clip1.toString(), "--out",
                out.toString(), "--backend", "jvm");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("8000 samples (0.50 s) -> 13 soft tokens in 1 chunk(s)");
        byte[] npy = Files.readAllBytes(out);
        int header = ByteBuffer.wrap(npy, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
        String dict = new String(npy, 10, header, StandardCharsets.US_ASCII);
        assertThat(dict).contains("'shape': (13, 64)");
        assertThat(npy.length - 10 - header).isEqualTo(13 * 64 * 4);
    }

    @Test
    void aClipWithoutSamplesIsBadInput() throws IOException {
        Path empty = AudioFixtures.wav(dir.resolve("empty.wav"), new short[0]);
        CliHarness r = run("ask", "--mmproj", mmproj.toString(), "--audio", empty.toString(), "What is said?");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains("empty.wav").contains("no audio samples");
    }

    @Test
    void audioThroughAVisionOnlyMmprojIsBadInput() throws IOException {
        Path vision = dir.resolve("vision-64.gguf");
        new RandomMmprojFile(224, 14, 64, 128, 2, 4, 64, 4, GgufTensorType.F32, 21).write(vision);
        CliHarness r = run("ask", "--mmproj", vision.toString(), "--audio", clip1.toString(), "What?");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains("has no audio encoder");
    }

    @Test
    void audioLongerThanTheContextIsBadInput() {
        CliHarness r = run("ask", "--ctx", "16", "--tile", "16", "--mmproj", mmproj.toString(), "--audio",
                clip1.toString(), "What?");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains("does not fit in the context of 16 tokens");
    }

    @Test
    void generateAndEvalTakeTheMediaOptionsOfAsk() {
        String[] media = {"--mmproj", demo.get("mmproj").toString(), "--image", demo.get("image").toString(),
            "--video", demo.get("video").toString(), "--frames", "2", "--tile", "64"};
        String[] model = {"--model", demo.get("model").toString(), "--quiet", "--backend", "jvm"};
        CliHarness g = CliHarness.run(concat(new String[] {"generate"}, model, media,
                new String[] {"--greedy", "-n", "2", "--chat", "--prompt", "What moves in {video}?"}));
        assertThat(g.err()).isEmpty();
        assertThat(g.exitCode()).isZero();
        CliHarness e = CliHarness.run(concat(new String[] {"eval"}, model, media,
                new String[] {"--prompt", "{video} moves", "--fps", "1"}));
        assertThat(e.err()).isEmpty();
        assertThat(e.exitCode()).isZero();
        assertThat(e.out()).contains("pos 0 ");
        CliHarness ids = CliHarness.run(concat(new String[] {"generate"}, model, media, new String[] {"--ids", "2,3"}));
        assertThat(ids.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(ids.err()).contains("media need --prompt text, not --ids");
    }

    private static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }
}
