package io.tessera.pipeline.vision;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tessera.media.MediaInput;
import io.tessera.media.audio.AudioLoader;
import io.tessera.media.image.RgbImage;
import io.tessera.media.video.VideoDecoder;
import io.tessera.media.video.VideoFrame;
import io.tessera.media.video.VideoSampling;
import io.tessera.pipeline.audio.encoder.AudioEncoder;
import io.tessera.pipeline.generate.Decoder;
import io.tessera.pipeline.generate.Generation;
import io.tessera.pipeline.model.Model;
import io.tessera.pipeline.reference.Mtmd;
import io.tessera.pipeline.sample.SamplingSettings;
import io.tessera.tasks.api.Device;
import io.tessera.tokenizer.ChatMessage;
import io.tessera.tokenizer.ChatTemplate;

/**
 * One mmproj file with a gemma3 vision part and a gemma4ua audio part: an image and a clip in one
 * prompt against llama.cpp mtmd (each part under its own projector type, each medium with its own
 * markers and attention rule), and a video with an audio track laid out by time.
 */
class AudioVideoPromptTest {
    static final int CONTEXT = 512;

    @TempDir
    static Path dir;
    static Path text;
    static Path mmproj;

    @BeforeAll
    static void files() throws IOException {
        text = dir.resolve("text.gguf");
        AudioFixtures.writeText(text);
        mmproj = dir.resolve("mmproj-vision-audio.gguf");
        AudioFixtures.writeVisionAndAudio(mmproj);
    }

    @Test
    void oneFileCarriesBothParts() {
        try (Mmproj mm = Mmproj.load(mmproj)) {
            assertThat(mm.hasVision()).isTrue();
            assertThat(mm.hasAudio()).isTrue();
            assertThat(mm.config().projector()).isEqualTo(ProjectorType.GEMMA3);
            assertThat(mm.audio().projector().ggufName()).isEqualTo("gemma4ua");
            assertThat(mm.report()).contains("gemma3").contains("audio gemma4ua");
        }
    }

    @Test
    @Tag("reference")
    void anImageAndAClipAgreeWithMtmd() throws IOException {
        Mtmd mtmd = Mtmd.require();
        RgbImage image = VisionFixtures.image(224, 3);
        Path wav = AudioFixtures.wav(dir.resolve("mixed.wav"), AudioFixtures.clip(0.6, 9));
        try (Model model = Model.load(text);
             Mmproj mm = Mmproj.load(mmproj);
             VisionEncoder vision = new VisionEncoder(mm, Device.jvm(), VisionEncoder.Options.batch(1));
             AudioEncoder audio = AudioEncoder.open(mm, Device.jvm());
             Decoder decoder = new Decoder(model, Device.jvm(), new Decoder.Options(CONTEXT, 64, false));
             Mtmd.Session ref = mtmd.open(text, mmproj, CONTEXT)) {
            mm.checkCompatible(model);
            Interleaver interleaver = Interleaver.forMmproj(model.tokenizer(), mm, model.config().hidden());
            float[] pcm = new AudioLoader().load16kMono(MediaInput.of(wav));
            MultimodalPrompt ours = MultimodalPrompt.build(model.tokenizer(), interleaver, ChatTemplate.GEMMA3, null,
                    "Look at {image} and hear {audio} now.", List.of(mm.config().softTokens()), 0, List.of(pcm),
                    List.of(), null, audio);
            List<float[]> images = vision.encode(List.of(VisionFixtures.pixels(mm.config(), image)));

            String rendered = interleaver.template(ChatTemplate.GEMMA3).render(List.of(new ChatMessage(
                    ChatMessage.Role.USER, ours.content())), true).replaceFirst("^<bos>", "")
                    .replace("<start_of_image>", "\n\n" + mtmd.marker() + "\n\n").replace("<|audio>", mtmd.marker());
            List<Mtmd.Chunk> chunks = ref.tokenize(rendered, List.of(new Mtmd.Image(image.rgb(), 224, 224),
                    new Mtmd.Audio(Mtmd.readPcm16Wav(wav))));
            List<PromptChunk> mine = ours.prompt().chunks();
            assertThat(chunks).hasSameSizeAs(mine);
            for (int i = 0; i < chunks.size(); i++) {
                assertThat(chunks.get(i).image()).as("chunk %d is an image", i)
                        .isEqualTo(mine.get(i) instanceof PromptChunk.Image);
                assertThat(chunks.get(i).audio()).as("chunk %d is audio", i)
                        .isEqualTo(mine.get(i) instanceof PromptChunk.Audio);
                assertThat(chunks.get(i).tokens()).as("positions of chunk %d", i).isEqualTo(mine.get(i).positions());
                switch (mine.get(i)) {
                    case PromptChunk.Text t -> assertThat(chunks.get(i).text()).containsExactly(t.tokens());
                    case PromptChunk.Image im -> assertThat(ref.nonCausal(i)).isEqualTo(im.bidirectional()).isTrue();
                    case PromptChunk.Audio a -> assertThat(ref.nonCausal(i)).isFalse();
                }
            }
            float[] refLogits = new float[model.config().vocab()];
            int[] expected = ref.generate(16, refLogits);
            MultimodalGenerator generator = new MultimodalGenerator(decoder, model.tokenizer(), model.endTokens());
            double nmse = VisionFixtures.nmse(refLogits, generator.prefill(ours.prompt(), images::get,
                    ours.audioEmbeddings(audio)));
            System.out.printf("image + clip in one prompt: first logits NMSE %.3e%n", nmse);
            assertThat(nmse).isLessThan(1e-6);
            Generation g = generator.generate(ours.prompt(), images::get, ours.audioEmbeddings(audio), 16,
                    SamplingSettings.greedyDecoding(), s -> { });
            System.out.printf("greedy after image + clip: ours %s, llama.cpp %s%n", Arrays.toString(g.ids()),
                    Arrays.toString(expected));
            assertThat(g.ids()).containsExactly(expected);
        }
    }

    @Test
    void aVideoAndItsAudioTrackInterleaveByTime() throws Exception {
        Path video = dir.resolve("clip.mp4");
        Process p;
        try {
            p = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=224x224:rate=10",
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000", "-t", "2.5", "-c:v", "mpeg4", "-c:a",
                    "aac", "-shortest", video.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("ffmpeg is not installed: " + e.getMessage());
            return;
        }
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("ffmpeg: %s", log).isZero();
        MediaInput.Video input = (MediaInput.Video) MediaInput.of(video);
        List<VideoFrame> frames = new VideoDecoder().sample(input, VideoSampling.uniform(3));
        float[] track = new AudioLoader().load16kMono(input);
        assertThat(frames).hasSize(3);
        assertThat(track.length).isBetween(39_000, 41_000);
        try (Model model = Model.load(text);
             Mmproj mm = Mmproj.load(mmproj);
             VisionEncoder vision = new VisionEncoder(mm, Device.jvm(), VisionEncoder.Options.batch(2));
             AudioEncoder audio = AudioEncoder.open(mm, Device.jvm());
             Decoder decoder = new Decoder(model, Device.jvm(), new Decoder.Options(CONTEXT, 64, false))) {
            Interleaver interleaver = Interleaver.forMmproj(model.tokenizer(), mm, model.config().hidden());
            MultimodalPrompt ours = MultimodalPrompt.build(model.tokenizer(), interleaver, ChatTemplate.GEMMA3, null,
                    "What happens in {video}?", List.of(), mm.config().softTokens(), List.of(), frames, track, audio);

            // expected: frame i's timestamp, its image, then the sound from its time to the next frame's
            List<String> layout = new ArrayList<>();
            int from = 0;
            for (int i = 0; i < frames.size(); i++) {
                int to = i + 1 < frames.size() ? (int) Math.round(frames.get(i + 1).timestampMicros() * 0.016)
                        : track.length;
                layout.add("text:" + frames.get(i).mmss());
                layout.add("image " + i + " x16");
                layout.add("text");
                layout.add("audio " + i + " x" + (to - from + 639) / 640);
                from = to;
            }
            layout.add("text");
            List<String> got = new ArrayList<>();
            List<PromptChunk> chunks = ours.prompt().chunks();
            for (int i = 0; i < chunks.size(); i++) {
                PromptChunk c = chunks.get(i);
                got.add(switch (c) {
                    case PromptChunk.Text t -> {
                        String s = model.tokenizer().decode(t.tokens());
                        // the text before an image ends with its timestamp and the Gemma 3 image opening
                        boolean beforeImage = i + 1 < chunks.size() && chunks.get(i + 1) instanceof PromptChunk.Image;
                        if (beforeImage) {
                            assertThat(s).endsWith("\n\n<start_of_image>");
                            String stamp = s.substring(0, s.length() - "\n\n<start_of_image>".length());
                            yield "text:" + stamp.substring(stamp.length() - 5);
                        }
                        if (i + 1 < chunks.size() && chunks.get(i + 1) instanceof PromptChunk.Audio) {
                            assertThat(s).isEqualTo("<end_of_image>\n\n<|audio>");
                        }
                        yield "text";
                    }
                    case PromptChunk.Image im -> "image " + im.image() + " x" + im.tokens();
                    case PromptChunk.Audio a -> {
                        assertThat(a.segment()).isEqualTo(a.clip());
                        yield "audio " + a.clip() + " x" + a.tokens();
                    }
                });
            }
            System.out.println("video layout: " + got);
            assertThat(got).containsExactlyElementsOf(layout);
            assertThat(layout.get(0)).isEqualTo("text:00:00");
            int audioTokens = ours.prompt().audioPositions();
            assertThat(audioTokens).isBetween(track.length / 640, track.length / 640 + frames.size());
            // and the whole prompt goes through the decoder, frames and sound encoded when reached
            float[] logits = new MultimodalGenerator(decoder, model.tokenizer(), model.endTokens())
                    .prefill(ours.prompt(), VideoFrames.lazyEmbeddings(vision, frames, 2), ours.audioEmbeddings(audio));
            assertThat(logits).hasSize(model.config().vocab());
            assertThat(decoder.position()).isEqualTo(ours.prompt().positions());
        }
    }
}
