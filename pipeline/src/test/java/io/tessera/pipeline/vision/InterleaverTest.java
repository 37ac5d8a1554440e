package io.tessera.pipeline.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tessera.media.MediaInput;
import io.tessera.media.video.VideoDecoder;
import io.tessera.media.video.VideoFrame;
import io.tessera.media.video.VideoSampling;
import io.tessera.pipeline.generate.Decoder;
import io.tessera.pipeline.generate.PromptException;
import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.model.Model;
import io.tessera.tasks.api.Device;
import io.tessera.tokenizer.ChatMessage;
import io.tessera.tokenizer.ChatTemplate;
import io.tessera.tokenizer.Marker;

/** Prompts with images and videos become the expected chunks (spec/MODELS.md §2.5, §5). */
class InterleaverTest {
    @TempDir
    static Path dir;
    static Path text;
    static Path mmproj;

    @BeforeAll
    static void files() throws IOException {
        text = dir.resolve("text.gguf");
        VisionFixtures.writeTextWithImageTokens(VisionFixtures.text(GgufTensorType.F32), text);
        mmproj = dir.resolve("mmproj.gguf");
        VisionFixtures.mmproj(GgufTensorType.F32).write(mmproj);
    }

    @Test
    void placeholdersPutImagesWhereTheyAreAndImagesComeFirstOtherwise() {
        assertThat(Interleaver.userContent("a {image} b {image}", 2)).containsExactly(new ChatMessage.Text("a "),
                new ChatMessage.Image(), new ChatMessage.Text(" b "), new ChatMessage.Image());
        assertThat(Interleaver.userContent("what is it?", 2)).containsExactly(new ChatMessage.Image(),
                new ChatMessage.Image(), new ChatMessage.Text("what is it?"));
        assertThatThrownBy(() -> Interleaver.userContent("{image} and {image}", 3)).isInstanceOf(PromptException.class)
                .hasMessageContaining("2 {image} placeholders for 3 images");
    }

    @Test
    void eachImageBecomesABlankLineMarkersAndItsSoftTokens() {
        try (Model model = Model.load(text); Mmproj m = Mmproj.load(mmproj)) {
            var tok = model.tokenizer();
            int boi = tok.requireMarker(Marker.START_OF_IMAGE);
            int eoi = tok.requireMarker(Marker.END_OF_IMAGE);
            int[] nl = tok.encode("\n\n", false, false);
            Interleaver in = new Interleaver(tok, m.config());
            int[] ids = ChatTemplate.GEMMA3.encode(tok, List.of(new ChatMessage(ChatMessage.Role.USER,
                    Interleaver.userContent("a{image}b{image}", 2))), true);
            InterleavedPrompt p = in.expand(ids, 2);
            List<PromptChunk> c = p.chunks();
            assertThat(c).hasSize(5);
            assertThat(c.get(1)).isEqualTo(new PromptChunk.Image(0, 16, 64));
            assertThat(c.get(3)).isEqualTo(new PromptChunk.Image(1, 16, 64));
            int[] first = ((PromptChunk.Text) c.get(0)).tokens();
            int[] between = ((PromptChunk.Text) c.get(2)).tokens();
            assertThat(first[0]).isEqualTo(tok.specialIds().bos());
            assertThat(tail(first, nl.length + 1)).containsExactly(concat(nl, new int[] {boi}));
            assertThat(head(between, nl.length + 1)).containsExactly(concat(new int[] {eoi}, nl));
            assertThat(tail(between, nl.length + 1)).containsExactly(concat(nl, new int[] {boi}));
            assertThat(p.positions()).isEqualTo(ids.length + 2 * (16 + 2 * nl.length + 1));
            int soft = tok.requireMarker(Marker.IMAGE_SOFT_TOKEN);
            assertThat(java.util.Arrays.stream(p.ids(soft)).filter(i -> i == soft).count()).isEqualTo(32);
            assertThatThrownBy(() -> in.expand(ids, 1)).isInstanceOf(PromptException.class);
        }
    }

    @Test
    void aPromptWhoseImagesDoNotFitTheContextIsRefused() {
        try (Model model = Model.load(text); Mmproj m = Mmproj.load(mmproj);
             Decoder decoder = new Decoder(model, Device.jvm(), new Decoder.Options(40, 32, false))) {
            Interleaver in = new Interleaver(model.tokenizer(), m.config());
            InterleavedPrompt p = in.expand(ChatTemplate.GEMMA3.encode(model.tokenizer(), List.of(new ChatMessage(
                    ChatMessage.Role.USER, Interleaver.userContent("two pictures", 2))), true), 2);
            MultimodalGenerator g = new MultimodalGenerator(decoder, model.tokenizer(), model.endTokens());
            assertThatThrownBy(() -> g.prefill(p, i -> new float[16 * 64])).isInstanceOf(PromptException.class)
                    .hasMessageContaining("does not fit in the context of 40");
        }
    }

    /** Four seconds of solid red, green, blue and white at 4 fps, written by ffmpeg. */
    static Path colourVideo() throws IOException, InterruptedException {
        Path video = dir.resolve("colours.mp4");
        if (Files.exists(video)) {
            return video;
        }
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y"));
        for (String colour : List.of("red", "lime", "blue", "white")) {
            cmd.addAll(List.of("-f", "lavfi", "-i", "color=c=" + colour + ":s=64x48:r=4:d=1"));
        }
        cmd.addAll(List.of("-filter_complex", "[0:v][1:v][2:v][3:v]concat=n=4:v=1:a=0", "-c:v", "mpeg4", "-q:v", "2",
                video.toString()));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("ffmpeg is not installed: " + e.getMessage());
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes());
        Assumptions.assumeTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "ffmpeg failed: " + out);
        return video;
    }

    @Test
    void videoFramesComeWithTheirTimestampsAsImageBlocks() throws Exception {
        MediaInput.Video video = (MediaInput.Video) MediaInput.of(colourVideo());
        List<VideoFrame> frames = new VideoDecoder().sample(video, VideoSampling.uniform(4));
        assertThat(frames).hasSize(4);
        int[][] expected = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};
        for (int i = 0; i < 4; i++) {
            VideoFrame f = frames.get(i);
            assertThat(f.mmss()).isEqualTo(String.format("00:%02d", i));
            for (int ch = 0; ch < 3; ch++) {
                assertThat(f.image().get(32, 24, ch)).as("frame %d channel %d", i, ch).isCloseTo(expected[i][ch],
                        org.assertj.core.api.Assertions.within(24));
            }
        }
        try (Model model = Model.load(text); Mmproj m = Mmproj.load(mmproj);
             VisionEncoder encoder = new VisionEncoder(m, Device.jvm(), VisionEncoder.Options.batch(3))) {
            var tok = model.tokenizer();
            InterleavedPrompt p = new Interleaver(tok, m.config()).expand(ChatTemplate.GEMMA3.encode(tok,
                    List.of(new ChatMessage(ChatMessage.Role.USER, VideoFrames.userContent("What colours? {video}",
                            frames))), true), frames.size());
            List<PromptChunk> c = p.chunks();
            assertThat(c).hasSize(9);
            for (int i = 0; i < 4; i++) {
                assertThat(c.get(2 * i + 1)).isEqualTo(new PromptChunk.Image(i, 16, 64));
                String before = tok.decode(((PromptChunk.Text) c.get(2 * i)).tokens(), false);
                assertThat(before).endsWith(String.format("00:%02d\n\n<start_of_image>", i));
            }
            assertThat(tok.decode(((PromptChunk.Text) c.get(0)).tokens(), false).replace('\u2581', ' '))
                    .contains("What colours? 00:00");
            // frames encoded lazily in batches of 3 equal frames encoded one by one
            var lazy = VideoFrames.lazyEmbeddings(encoder, frames, 3);
            try (VisionEncoder single = new VisionEncoder(m, Device.jvm(), VisionEncoder.Options.batch(1))) {
                for (int i = 0; i < 4; i++) {
                    float[] one = single.encode(List.of(io.tessera.media.image.ImagePreprocessor.preprocess(
                            frames.get(i).image(), VisionPreprocessing.of(m.config())))).getFirst();
                    assertThat(VisionFixtures.nmse(one, lazy.apply(i))).isLessThan(1e-12);
                }
            }
        }
    }

    private static int[] tail(int[] a, int n) {
        return java.util.Arrays.copyOfRange(a, a.length - n, a.length);
    }

    private static int[] head(int[] a, int n) {
        return java.util.Arrays.copyOfRange(a, 0, n);
    }

    private static int[] concat(int[] a, int[] b) {
        int[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
