package io.tessera.pipeline.vision;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.tessera.media.MediaInput;
import io.tessera.media.audio.AudioLoader;
import io.tessera.pipeline.audio.encoder.AudioEncoder;
import io.tessera.pipeline.generate.Decoder;
import io.tessera.pipeline.generate.Generation;
import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.model.Model;
import io.tessera.pipeline.reference.Mtmd;
import io.tessera.pipeline.sample.SamplingSettings;
import io.tessera.tasks.api.Device;
import io.tessera.tokenizer.ChatMessage;
import io.tessera.tokenizer.ChatTemplate;

/**
 * Audio prompts against llama.cpp mtmd on the same random files: a Gemma 3 text model whose
 * vocabulary has the Gemma 4 markers and a {@code gemma4ua} mmproj of its width. The clips are
 * 16-bit PCM WAV files, which mtmd's miniaudio and our loader both read as {@code s / 32768}. The
 * chunks (mtmd wraps each clip in {@code <|audio>}…{@code <audio|>} itself, so its prompt text has
 * the media marker where ours has {@code <|audio>}), mtmd's attention rule for them, the logits
 * after the prompt and 16 greedy tokens must agree.
 */
@Tag("reference")
class AudioMtmdAgreementTest {
    static final int CONTEXT = 256;
    static final int CONTINUATION = 16;

    @TempDir
    static Path dir;
    static Path text;
    static Path mmproj;

    @BeforeAll
    static void files() throws IOException {
        text = dir.resolve("text.gguf");
        AudioFixtures.writeTextWithMarkers(VisionFixtures.text(GgufTensorType.F32), text);
        mmproj = dir.resolve("mmproj-gemma4ua.gguf");
        AudioFixtures.mmproj(GgufTensorType.F32).write(mmproj);
    }

    static Stream<Arguments> prompts() {
        return Stream.of(Arguments.of("{audio}What is said here?", new double[] {1.3}),
                Arguments.of("What is said?", new double[] {0.77}),
                Arguments.of("Compare {audio} with {audio} please.", new double[] {0.9, 1.52}));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("prompts")
    void greedyContinuationAgrees(String prompt, double[] seconds) throws IOException {
        Mtmd mtmd = Mtmd.require();
        List<Path> wavs = new ArrayList<>();
        for (int i = 0; i < seconds.length; i++) {
            wavs.add(AudioFixtures.wav(dir.resolve("clip-" + prompt.hashCode() + "-" + i + ".wav"),
                    AudioFixtures.clip(seconds[i], 40 + i)));
        }
        try (Model model = Model.load(text);
             Mmproj mm = Mmproj.load(mmproj);
             AudioEncoder encoder = AudioEncoder.open(mm, Device.jvm());
             Decoder decoder = new Decoder(model, Device.jvm(), new Decoder.Options(CONTEXT, 32, false));
             Mtmd.Session ref = mtmd.open(text, mmproj, CONTEXT)) {
            mm.checkCompatible(model);
            Interleaver interleaver = new Interleaver(model.tokenizer(), null,
                    MediaWrap.forAudio(mm.audio().projector()), model.config().hidden());
            ChatTemplate template = interleaver.template(ChatTemplate.GEMMA3);
            List<ChatMessage> chat = List.of(new ChatMessage(ChatMessage.Role.USER,
                    Interleaver.userContent(prompt, 0, wavs.size())));
            List<float[]> pcm = new ArrayList<>();
            List<int[]> pieces = new ArrayList<>();
            for (Path w : wavs) {
                float[] s = new AudioLoader().load16kMono(MediaInput.of(w));
                pcm.add(s);
                pieces.add(encoder.chunkTokens(s.length));
            }
            InterleavedPrompt ours = interleaver.expand(template.encode(model.tokenizer(), chat, true), List.of(),
                    pieces);
            List<float[]> segments = new ArrayList<>();
            for (float[] s : pcm) {
                int[] p = encoder.chunkTokens(s.length);
                for (int k = 0; k < p.length; k++) {
                    segments.add(encoder.encode(encoder.chunk(s, k)));
                }
            }

            String rendered = template.render(chat, true).replaceFirst("^<bos>", "").replace("<|audio>", mtmd.marker());
            List<Mtmd.Audio> clips = new ArrayList<>();
            for (Path w : wavs) {
                clips.add(new Mtmd.Audio(Mtmd.readPcm16Wav(w)));
            }
            List<Mtmd.Chunk> chunks = ref.tokenize(rendered, clips);
            assertThat(chunks).hasSameSizeAs(ours.chunks());
            for (int i = 0; i < chunks.size(); i++) {
                PromptChunk mine = ours.chunks().get(i);
                Mtmd.Chunk theirs = chunks.get(i);
                assertThat(theirs.audio()).as("chunk %d is audio", i).isEqualTo(mine instanceof PromptChunk.Audio);
                assertThat(theirs.tokens()).as("positions of chunk %d", i).isEqualTo(mine.positions());
                if (mine instanceof PromptChunk.Text t) {
                    assertThat(theirs.text()).as("tokens of chunk %d", i).containsExactly(t.tokens());
                } else {
                    assertThat(ref.nonCausal(i)).as("mtmd decodes audio chunk %d causally", i).isFalse();
                }
            }

            float[] refLogits = new float[model.config().vocab()];
            int[] expected = ref.generate(CONTINUATION, refLogits);
            MultimodalGenerator generator = new MultimodalGenerator(decoder, model.tokenizer(), model.endTokens());
            float[] logits = generator.prefill(ours, i -> {
                throw new AssertionError("no images here");
            }, segments::get);
            double nmse = VisionFixtures.nmse(refLogits, logits);
            System.out.printf("first logits after %d clip(s): NMSE %.3e%n", wavs.size(), nmse);
            assertThat(nmse).isLessThan(1e-6);
            // the comparison sees the attention rule: bidirectional audio blocks are far off (checked
            // where every block fits in one tile; longer ones are prefilled causally tile by tile)
            boolean fits = ours.chunks().stream().noneMatch(c -> c instanceof PromptChunk.Audio a
                    && a.tokens() > decoder.tile());
            decoder.reset();
            float[] bidirectional = null;
            for (PromptChunk chunk : fits ? ours.chunks() : List.<PromptChunk>of()) {
                bidirectional = switch (chunk) {
                    case PromptChunk.Text t -> decoder.prefill(t.tokens());
                    case PromptChunk.Audio a -> decoder.prefillEmbeddings(segments.get(a.segment()), a.tokens(), true);
                    case PromptChunk.Image im -> throw new AssertionError("no images here");
                };
            }
            if (fits) {
                double wrong = VisionFixtures.nmse(refLogits, bidirectional);
                System.out.printf("first logits with bidirectional audio blocks: NMSE %.3e%n", wrong);
                assertThat(wrong).isGreaterThan(100 * nmse);
            }
            Generation g = generator.generate(ours, i -> null, segments::get, CONTINUATION,
                    SamplingSettings.greedyDecoding(), s -> { });
            System.out.printf("greedy after %d clip(s): ours %s, llama.cpp %s%n", wavs.size(),
                    Arrays.toString(g.ids()), Arrays.toString(expected));
            assertThat(g.ids()).containsExactly(expected);
        }
    }

    /** mtmd's gemma4ua preprocessor keeps a clip of over 30 s as one chunk; so does ours. */
    @Test
    void aLongClipIsOneChunkForGemma4ua() throws IOException {
        Mtmd mtmd = Mtmd.require();
        Path wav = AudioFixtures.wav(dir.resolve("long.wav"), AudioFixtures.clip(31.3, 77));
        float[] pcm = Mtmd.readPcm16Wav(wav);
        try (Mmproj mm = Mmproj.load(mmproj);
             AudioEncoder encoder = AudioEncoder.open(mm, Device.jvm());
             Mtmd.Session ref = mtmd.open(text, mmproj, 1024)) {
            List<Integer> theirs = ref.tokenize("x" + mtmd.marker() + "y", List.of(new Mtmd.Audio(pcm))).stream()
                    .filter(Mtmd.Chunk::audio).map(Mtmd.Chunk::tokens).toList();
            assertThat(Arrays.stream(encoder.chunkTokens(pcm.length)).boxed().toList()).isEqualTo(theirs)
                    .containsExactly((pcm.length + 639) / 640);
        }
    }
}
