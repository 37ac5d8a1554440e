package io.tessera.pipeline.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
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
import io.tessera.pipeline.audio.encoder.RandomGemma4aMmprojFile;
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
 * The Gemma 4 audio conformer ({@code gemma4a}) against llama.cpp mtmd on the same random-weight
 * mmproj (clamps on every clipped linear of the blocks, every optional bias) and the same 16 kHz
 * WAV: mtmd's token count per chunk, and the projected soft tokens of {@code mtmd_encode_chunk} by
 * NMSE, our log-mel front end included; a clip of over 30 s in mtmd's two chunks; and 16 greedy
 * tokens after an audio-only prompt with a random Gemma 3 text model of the soft tokens' width.
 * Clip lengths cover a partial last attention block and a frame count that is odd after each
 * subsampling convolution.
 */
@Tag("reference")
class Gemma4aAgreementTest {
    static final int CONTINUATION = 16;

    @TempDir
    static Path dir;
    static Path text;
    static Path mmproj;

    @BeforeAll
    static void files() throws IOException {
        text = dir.resolve("text.gguf");
        AudioFixtures.writeTextWithMarkers(VisionFixtures.text(GgufTensorType.F32), text);
        mmproj = dir.resolve("mmproj-gemma4a.gguf");
        RandomGemma4aMmprojFile.small(VisionFixtures.TEXT_HIDDEN, 41).write(mmproj);
    }

    static Stream<Arguments> cases() {
        return Stream.of(Arguments.of("jvm", 32_000), Arguments.of("jvm", 12_345),
                Arguments.of("opencl:pocl", 20_000), Arguments.of("opencl:rusticl", 16_160));
    }

    @ParameterizedTest(name = "{0} {1} samples")
    @MethodSource("cases")
    void embeddingsAgreeWithMtmd(String selector, int samples) throws IOException {
        Mtmd mtmd = Mtmd.require();
        Path wav = AudioFixtures.wav(dir.resolve("clip" + samples + ".wav"), clip(samples, samples));
        float[] theirsPcm = Mtmd.readPcm16Wav(wav);
        float[] oursPcm = new AudioLoader().load16kMono(MediaInput.of(wav));
        assertThat(oursPcm).containsExactly(theirsPcm);
        try (Mmproj mm = Mmproj.load(mmproj);
             AudioEncoder encoder = AudioEncoder.open(mm, VisionFixtures.device(selector));
             Mtmd.Session ref = mtmd.open(text, mmproj, 4096)) {
            assertThat(ref.supportsAudio()).isTrue();
            List<Mtmd.Chunk> chunks = ref.tokenize("a" + mtmd.marker() + "b", List.of(new Mtmd.Audio(theirsPcm)));
            List<Integer> audio = java.util.stream.IntStream.range(0, chunks.size()).filter(i -> chunks.get(i).audio())
                    .boxed().toList();
            assertThat(audio).as("audio chunks").hasSize(1);
            int at = audio.get(0);
            int tokens = chunks.get(at).tokens();
            assertThat(encoder.tokens(samples)).as("tokens").isEqualTo(tokens);
            float[] expected = ref.encodeMedia(at, tokens, encoder.width());
            float[] ours = encoder.encode(oursPcm);
            double nmse = VisionFixtures.nmse(expected, ours);
            System.out.printf("gemma4a embeddings %s %d samples: %d tokens of %d, NMSE %.3e%n", selector, samples,
                    tokens, encoder.width(), nmse);
            assertThat(nmse).isLessThan(1e-5);
        }
    }

    /** mtmd's gemma4a preprocessor cuts a clip into 30 s chunks, each encoded on its own; so do we. */
    @Test
    void aLongClipIsEncodedInThirtySecondChunks() throws IOException {
        Mtmd mtmd = Mtmd.require();
        int samples = 30 * 16_000 + 7_000;
        Path wav = AudioFixtures.wav(dir.resolve("long.wav"), clip(samples, 5));
        float[] pcm = Mtmd.readPcm16Wav(wav);
        try (Mmproj mm = Mmproj.load(mmproj);
             AudioEncoder encoder = AudioEncoder.open(mm, Device.jvm());
             Mtmd.Session ref = mtmd.open(text, mmproj, 4096)) {
            List<Mtmd.Chunk> chunks = ref.tokenize("x" + mtmd.marker() + "y", List.of(new Mtmd.Audio(pcm)));
            List<Integer> audio = java.util.stream.IntStream.range(0, chunks.size()).filter(i -> chunks.get(i).audio())
                    .boxed().toList();
            int[] ours = encoder.chunkTokens(pcm.length);
            assertThat(Arrays.stream(ours).boxed().toList()).isEqualTo(audio.stream().map(i -> chunks.get(i).tokens())
                    .toList()).containsExactly(750, 11);
            for (int k = 0; k < ours.length; k++) {
                float[] expected = ref.encodeMedia(audio.get(k), ours[k], encoder.width());
                double nmse = VisionFixtures.nmse(expected, encoder.encode(encoder.chunk(pcm, k)));
                System.out.printf("gemma4a embeddings, chunk %d of a %d-sample clip: %d tokens, NMSE %.3e%n", k, samples,
                        ours[k], nmse);
                assertThat(nmse).isLessThan(1e-5);
            }
        }
    }

    @Test
    void greedyContinuationOfAnAudioOnlyPromptAgrees() throws IOException {
        Mtmd mtmd = Mtmd.require();
        Path wav = AudioFixtures.wav(dir.resolve("prompt.wav"), clip(27_000, 9));
        int context = 256;
        try (Model model = Model.load(text);
             Mmproj mm = Mmproj.load(mmproj);
             AudioEncoder encoder = AudioEncoder.open(mm, Device.jvm());
             Decoder decoder = new Decoder(model, Device.jvm(), new Decoder.Options(context, 32, false));
             Mtmd.Session ref = mtmd.open(text, mmproj, context)) {
            mm.checkCompatible(model);
            Interleaver interleaver = new Interleaver(model.tokenizer(), null,
                    MediaWrap.forAudio(mm.audio().projector()), model.config().hidden());
            ChatTemplate template = interleaver.template(ChatTemplate.GEMMA3);
            List<ChatMessage> chat = List.of(new ChatMessage(ChatMessage.Role.USER, Interleaver.userContent("{audio}", 0,
                    1)));
            float[] pcm = new AudioLoader().load16kMono(MediaInput.of(wav));
            InterleavedPrompt ours = interleaver.expand(template.encode(model.tokenizer(), chat, true), List.of(),
                    List.of(encoder.chunkTokens(pcm.length)));
            List<float[]> segments = new ArrayList<>();
            for (int k = 0; k < encoder.chunkTokens(pcm.length).length; k++) {
                segments.add(encoder.encode(encoder.chunk(pcm, k)));
            }
            String rendered = template.render(chat, true).replaceFirst("^<bos>", "").replace("<|audio>", mtmd.marker());
            List<Mtmd.Chunk> chunks = ref.tokenize(rendered, List.of(new Mtmd.Audio(Mtmd.readPcm16Wav(wav))));
            assertThat(chunks).hasSameSizeAs(ours.chunks());
            for (int i = 0; i < chunks.size(); i++) {
                assertThat(chunks.get(i).tokens()).as("positions of chunk %d", i).isEqualTo(ours.chunks().get(i)
                        .positions());
            }
            float[] refLogits = new float[model.config().vocab()];
            int[] expected = ref.generate(CONTINUATION, refLogits);
            MultimodalGenerator generator = new MultimodalGenerator(decoder, model.tokenizer(), model.endTokens());
            // random weights repeat one token, so the logits after the prompt are the sharper check
            double nmse = VisionFixtures.nmse(refLogits, generator.prefill(ours, i -> {
                throw new AssertionError("no images here");
            }, segments::get));
            System.out.printf("gemma4a first logits after an audio-only prompt of %d soft tokens: NMSE %.3e%n",
                    segments.get(0).length / encoder.width(), nmse);
            assertThat(nmse).isLessThan(1e-5);
            Generation g = generator.generate(ours, i -> null, segments::get, CONTINUATION,
                    SamplingSettings.greedyDecoding(), s -> { });
            System.out.printf("gemma4a greedy after an audio-only prompt: ours %s, llama.cpp %s%n",
                    Arrays.toString(g.ids()), Arrays.toString(expected));
            assertThat(g.ids()).containsExactly(expected);
        }
    }

    /**
     * The dumped front end and block buffers, by name and shape; the features against the media
     * module's plain Java Gemma 4 extractor, whose ln(mel + 0.001) gives mel back, on the frames
     * mtmd keeps (its ln(max(mel, 0.001)) then follows).
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"jvm", "opencl:pocl", "opencl:rusticl"})
    void dumpedFeaturesFollowMtmdsLogRule(String selector) throws IOException {
        int samples = 9_999;
        float[] pcm = new float[samples];
        short[] s = clip(samples, 3);
        for (int i = 0; i < samples; i++) {
            pcm[i] = s[i] / 32768f;
        }
        try (Mmproj mm = Mmproj.load(mmproj);
             io.tessera.pipeline.audio.encoder.Gemma4aEncoder encoder = io.tessera.pipeline.audio.encoder.Gemma4aEncoder
                     .open(mm, VisionFixtures.device(selector), new io.tessera.pipeline.audio.encoder.Gemma4aEncoder
                             .Options(java.util.Set.of("inp_raw", "conv1", "blk.1.attn", "mm_proj")))) {
            float[] out = encoder.encode(pcm);
            var dumped = encoder.dumped();
            int frames = (samples + 160 - 321) / 160 + 1;
            int tokens = encoder.tokens(samples);
            assertThat(dumped.keySet()).containsExactlyInAnyOrder("inp_raw", "conv1", "blk.1.attn", "mm_proj");
            assertThat(dumped.get("inp_raw").shape()).containsExactly(frames, 128);
            assertThat(dumped.get("conv1").shape()).containsExactly(tokens, 32, 4);
            assertThat(dumped.get("blk.1.attn").shape()).containsExactly(tokens, 64);
            assertThat(dumped.get("mm_proj").data()).containsExactly(out);
            float[] hf = io.tessera.media.audio.Gemma4FeatureExtractor.DEFAULT.extract(pcm).get(0).features().data();
            float[] ours = dumped.get("inp_raw").data();
            double worst = 0;
            for (int i = 0; i < ours.length; i++) {
                double mel = Math.exp(hf[i]) - 0.001;
                worst = Math.max(worst, Math.abs(ours[i] - Math.log(Math.max(mel, 0.001))));
            }
            System.out.printf("gemma4a features on %s: max abs difference from the plain extractor %.2e%n", selector,
                    worst);
            // rusticl has no fp64: the spectrum runs in float there (TaskGraphFeatureExtractor's bounds)
            assertThat(worst).isLessThan(selector.contains("rusticl") ? 1e-3 : 1e-5);
        }
    }

    @Test
    void aMissingOrMisshapenTensorIsNamed() throws IOException {
        Path missing = dir.resolve("mmproj-no-dw.gguf");
        String dw = io.tessera.pipeline.audio.encoder.ConformerTensorNames.convDepthwise(1);
        VisionFixtures.rewrite(mmproj, missing, meta -> { }, name -> !name.equals(dw));
        try (Mmproj mm = Mmproj.load(missing)) {
            assertThatThrownBy(() -> AudioEncoder.open(mm, Device.jvm())).isInstanceOf(MmprojFormatException.class)
                    .hasMessageContaining("missing tensor " + dw).hasMessageContaining("gemma4a");
        }
        Path wide = dir.resolve("mmproj-wide.gguf");
        VisionFixtures.rewrite(mmproj, wide, meta -> meta.put(ClipKeys.AUDIO_FEED_FORWARD_LENGTH,
                new io.tessera.pipeline.gguf.GgufValue.Integer(io.tessera.pipeline.gguf.GgufValueType.UINT32, 96)), name -> true);
        try (Mmproj mm = Mmproj.load(wide)) {
            assertThatThrownBy(() -> AudioEncoder.open(mm, Device.jvm())).isInstanceOf(MmprojFormatException.class)
                    .hasMessageContaining("a.blk.0.ffn_up.weight has shape [64, 128], expected [64, 96]");
        }
    }

    @Test
    void melBinsThatDisagreeWithTheExtractorAreRejected() throws IOException {
        Path bad = dir.resolve("mmproj-80-bins.gguf");
        RandomGemma4aMmprojFile.small(VisionFixtures.TEXT_HIDDEN, 41).withMelBins(80).write(bad);
        assertThatThrownBy(() -> Mmproj.load(bad).close()).isInstanceOf(MmprojFormatException.class)
                .hasMessageContaining(bad.toString()).hasMessageContaining("clip.audio.num_mel_bins = 80")
                .hasMessageContaining("128 mel bins");
    }

    /** A seeded 16-bit clip: a chirp, a tone and noise, with a quiet stretch where mel values fall below the floor. */
    static short[] clip(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            double t = i / 16_000.0;
            double quiet = i > n / 3 && i < n / 2 ? 0.002 : 1;
            double v = quiet * (0.3 * Math.sin(2 * Math.PI * (150 + 900 * t) * t) + 0.2 * Math.sin(2 * Math.PI * 2500 * t)
                    + 0.1 * (r.nextDouble() * 2 - 1));
            s[i] = (short) Math.round(Math.max(-1, Math.min(1, v)) * 32767);
        }
        return s;
    }
}
