package io.tessera.pipeline.vision;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.tessera.media.FloatTensor;
import io.tessera.media.MediaInput;
import io.tessera.media.audio.AudioLoader;
import io.tessera.media.image.RgbImage;
import io.tessera.pipeline.audio.encoder.AudioEncoder;
import io.tessera.pipeline.audio.encoder.RandomGemma4aMmprojFile;
import io.tessera.pipeline.generate.Decoder;
import io.tessera.pipeline.generate.Generation;
import io.tessera.pipeline.gguf.GgufFile;
import io.tessera.pipeline.gguf.GgufTensorInfo;
import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.gguf.GgufValue;
import io.tessera.pipeline.gguf.GgufWriter;
import io.tessera.pipeline.model.Architecture;
import io.tessera.pipeline.model.Model;
import io.tessera.pipeline.model.RandomGemmaFile;
import io.tessera.pipeline.model.TensorNames;
import io.tessera.pipeline.reference.Mtmd;
import io.tessera.pipeline.sample.SamplingSettings;
import io.tessera.tasks.api.Device;
import io.tessera.tokenizer.ChatMessage;
import io.tessera.tokenizer.ChatTemplate;

/**
 * A Gemma 4 text model with one image and one audio clip in the same prompt, against llama.cpp's
 * multimodal library on the same random files: a {@code gemma4} text GGUF (the dense layout of
 * the decoder's agreement test, width 64) whose vocabulary ends with the Gemma 3 and 4 media
 * markers, and one mmproj holding a Gemma 4 vision part ({@code gemma4v} tower or {@code gemma4uv}
 * embedder) and an audio part ({@code gemma4ua}, encoder-free, or {@code gemma4a}, the conformer).
 * The chunks, the image's embeddings, the first logits after the prompt and 16 greedy tokens must
 * agree; a causal image block must give first logits far off (the image is attended both ways).
 *
 * <p>The image is 432 x 240, a size llama.cpp keeps (multiples of 48 within its token bounds), so
 * that neither side resamples; mtmd wraps the image in {@code <|image>}…{@code <image|>} and the
 * clip in {@code <|audio>}…{@code <audio|>} itself, so its prompt text has its media marker where
 * ours has the open markers.
 */
@Tag("reference")
class Gemma4MultimodalMtmdAgreementTest {
    static final int CONTEXT = 512;
    static final int CONTINUATION = 16;
    /** Factor on the random token embedding (see {@link #untie}). */
    static final float EMBEDDING_SCALE = 0.5f;

    @TempDir
    static Path dir;
    static Path text;

    /**
     * The dense Gemma 4 layout of Gemma4LlamaCppAgreementTest (6 layers, global at 2 and 5, head
     * size 32 sliding / 64 global, k_eq_v, proportional RoPE) at the vision fixtures' width, with
     * a window wide enough for the whole prompt's media blocks.
     */
    static RandomGemmaFile textModel() {
        GgufTensorType f32 = GgufTensorType.F32;
        return new RandomGemmaFile(Architecture.GEMMA4, 6, VisionFixtures.TEXT_HIDDEN, 128, 4, 2, 32, 320, 64,
                CONTEXT, f32, f32, 1_000_000f, 1f, 0f, 30f, 35,
                new RandomGemmaFile.Gemma4Layout(3, 64, 1, 0.25f, 10_000f, 0, 0, true, true, false));
    }

    @BeforeAll
    static void files() throws IOException {
        text = dir.resolve("text-gemma4.gguf");
        Path tied = dir.resolve("text-gemma4-tied.gguf");
        AudioFixtures.writeTextWithMarkers(textModel(), tied);
        untie(tied, text, 36);
        Files.delete(tied);
    }

    /**
     * Copies a text GGUF with an {@code output.weight} of its own (N(0, 2 / sqrt(width))), which
     * llama.cpp and our loader use instead of the tied embedding when present. With the tied
     * embedding the random model's residual stream keeps its input token's row, whose logit then
     * wins at every step: greedy decoding repeats one token and compares little.
     */
    static void untie(Path in, Path out, long seed) throws IOException {
        RandomGemmaFile spec = textModel();
        int vocab = spec.vocab();
        int width = spec.hidden();
        ByteBuffer b = ByteBuffer.allocate(4 * vocab * width).order(ByteOrder.LITTLE_ENDIAN);
        SplittableRandom r = new SplittableRandom(seed);
        double sigma = 2 / Math.sqrt(width);
        for (int i = 0; i < vocab * width; i++) {
            b.putFloat((float) (sigma * r.nextGaussian()));
        }
        try (GgufFile f = GgufFile.open(in)) {
            GgufWriter w = new GgufWriter();
            f.metadata().asMap().forEach(w::put);
            for (GgufTensorInfo t : f.tensors()) {
                if (t.name().equals(TensorNames.TOKEN_EMBEDDING)) {
                    float[] e = f.data(t).toArray(ValueLayout.JAVA_FLOAT);
                    ByteBuffer scaled = ByteBuffer.allocate(4 * e.length).order(ByteOrder.LITTLE_ENDIAN);
                    for (float x : e) {
                        scaled.putFloat(EMBEDDING_SCALE * x);
                    }
                    w.addTensor(t.name(), t.type(), t.dims(), scaled.array());
                } else {
                    w.addTensor(t.name(), t.type(), t.dims(), f.data(t));
                }
            }
            w.addTensor(TensorNames.OUTPUT, GgufTensorType.F32, new long[] {width, vocab}, b.array());
            w.write(out);
        }
    }

    /**
     * A Gemma 4 vision mmproj and the gemma4ua audio part in one file: the vision file's keys with
     * its projector type as {@code clip.vision.projector_type} (llama.cpp reads
     * {@code clip.projector_type} first, for every part), the audio file's {@code clip.audio.*}
     * keys, and the tensors of both.
     */
    static Path visionAndAudio(String kind, String audioKind) throws IOException {
        Path out = dir.resolve("mmproj-" + kind + "-" + audioKind + ".gguf");
        if (Files.exists(out)) {
            return out;
        }
        Path vision = Files.createTempFile(dir, "v", ".gguf");
        Path audio = Files.createTempFile(dir, "a", ".gguf");
        (kind.equals("gemma4v") ? Gemma4VisionFixtures.encoder() : Gemma4VisionFixtures.unified()).write(vision);
        if (audioKind.equals("gemma4ua")) {
            AudioFixtures.mmproj(GgufTensorType.F32).write(audio);
        } else {
            RandomGemma4aMmprojFile.small(VisionFixtures.TEXT_HIDDEN, 43).write(audio);
        }
        try (GgufFile v = GgufFile.open(vision); GgufFile a = GgufFile.open(audio)) {
            Map<String, GgufValue> meta = new LinkedHashMap<>(v.metadata().asMap());
            GgufValue type = meta.remove(ClipKeys.PROJECTOR_TYPE);
            if (type != null) {
                meta.put(ClipKeys.VISION_PROJECTOR_TYPE, type);
            }
            a.metadata().asMap().forEach((k, value) -> {
                if (k.startsWith("clip.audio.") || k.equals(ClipKeys.HAS_AUDIO_ENCODER)) {
                    meta.put(k, value);
                }
            });
            GgufWriter w = new GgufWriter();
            meta.forEach(w::put);
            for (GgufFile f : List.of(v, a)) {
                for (GgufTensorInfo t : f.tensors()) {
                    w.addTensor(t.name(), t.type(), t.dims(), f.data(t));
                }
            }
            w.write(out);
        }
        Files.delete(vision);
        Files.delete(audio);
        return out;
    }

    static Stream<Arguments> cases() {
        // clip lengths differ so that no continuation reaches <eos> within a few tokens
        return Stream.of(Arguments.of("gemma4v", "gemma4ua", "jvm", 0.9),
                Arguments.of("gemma4uv", "gemma4ua", "jvm", 0.9),
                Arguments.of("gemma4v", "gemma4ua", "opencl:0", 0.9), Arguments.of("gemma4v", "gemma4a", "jvm", 1.3),
                Arguments.of("gemma4uv", "gemma4a", "jvm", 1.3), Arguments.of("gemma4v", "gemma4a", "opencl:0", 1.3));
    }

    @ParameterizedTest(name = "{0} + {1} on {2}, clip of {3} s")
    @MethodSource("cases")
    void anImageAndAClipAgreeWithMtmd(String kind, String audioKind, String selector, double seconds)
            throws IOException {
        Mtmd mtmd = Mtmd.require();
        Device device = VisionFixtures.device(selector);
        Path mmproj = visionAndAudio(kind, audioKind);
        RgbImage picture = Gemma4VisionFixtures.image(432, 240, 4);
        Path wav = AudioFixtures.wav(dir.resolve("clip-" + kind + "-" + audioKind + "-" + selector.replace(':', '-')
                + ".wav"), AudioFixtures.clip(seconds, 17));
        try (Model model = Model.load(text);
             Mmproj mm = Mmproj.load(mmproj);
             Gemma4VisionEncoder vision = new Gemma4VisionEncoder(mm.gemma4Vision(), mm.gemma4VisionWeights(),
                     device, VisionEncoder.Options.batch(1));
             AudioEncoder audio = AudioEncoder.open(mm, device);
             Decoder decoder = new Decoder(model, device, new Decoder.Options(CONTEXT, 64, false));
             Mtmd.Session ref = mtmd.open(text, mmproj, CONTEXT)) {
            assertThat(model.config().architecture()).isEqualTo(Architecture.GEMMA4);
            assertThat(mm.hasGemma4Vision()).isTrue();
            assertThat(mm.audio().projector().ggufName()).isEqualTo(audioKind);
            assertThat(ref.supportsVision()).as("mtmd sees the vision part").isTrue();
            assertThat(ref.supportsAudio()).as("mtmd sees the audio part").isTrue();
            mm.checkCompatible(model);
            Gemma4VisionConfig c = mm.gemma4Vision();
            FloatTensor pixels = Gemma4ImagePreprocessing.llamaCpp().preprocess(picture, c);
            assertThat(pixels.shape()).containsExactly(3, picture.height(), picture.width());
            int tokens = c.softTokens(picture.width(), picture.height());
            float[] image = vision.encode(List.of(pixels)).get(0);
            Interleaver interleaver = Interleaver.forMmproj(model.tokenizer(), mm, model.config().hidden());
            float[] pcm = new AudioLoader().load16kMono(MediaInput.of(wav));
            MultimodalPrompt ours = MultimodalPrompt.build(model.tokenizer(), interleaver, ChatTemplate.GEMMA3, null,
                    "Look at {image} and listen to {audio} then answer.", List.of(tokens), 0, List.of(pcm),
                    List.of(), null, audio);

            String rendered = interleaver.template(ChatTemplate.GEMMA3).render(List.of(new ChatMessage(
                    ChatMessage.Role.USER, ours.content())), true).replaceFirst("^<bos>", "")
                    .replace("<|image>", mtmd.marker()).replace("<|audio>", mtmd.marker());
            List<Mtmd.Chunk> chunks = ref.tokenize(rendered, List.of(
                    new Mtmd.Image(picture.rgb(), picture.width(), picture.height()),
                    new Mtmd.Audio(Mtmd.readPcm16Wav(wav))));
            List<PromptChunk> mine = ours.prompt().chunks();
            assertThat(chunks).hasSameSizeAs(mine);
            int images = 0;
            int clips = 0;
            for (int i = 0; i < chunks.size(); i++) {
                assertThat(chunks.get(i).image()).as("chunk %d is an image", i)
                        .isEqualTo(mine.get(i) instanceof PromptChunk.Image);
                assertThat(chunks.get(i).audio()).as("chunk %d is audio", i)
                        .isEqualTo(mine.get(i) instanceof PromptChunk.Audio);
                assertThat(chunks.get(i).tokens()).as("positions of chunk %d", i).isEqualTo(mine.get(i).positions());
                switch (mine.get(i)) {
                    case PromptChunk.Text t -> assertThat(chunks.get(i).text()).as("tokens of chunk %d", i)
                            .containsExactly(t.tokens());
                    case PromptChunk.Image im -> {
                        images++;
                        assertThat(ref.nonCausal(i)).as("mtmd decodes the image bidirectionally").isTrue();
                        assertThat(im.bidirectional()).isTrue();
                        double nmse = VisionFixtures.nmse(ref.encode(i, tokens, c.projectionDim()), image);
                        System.out.printf("%s + %s %s image embeddings (%d soft tokens): NMSE %.3e%n", kind, audioKind,
                                selector, tokens, nmse);
                        assertThat(nmse).isLessThan(1e-5);
                    }
                    case PromptChunk.Audio a -> {
                        clips++;
                        assertThat(ref.nonCausal(i)).as("mtmd decodes audio causally").isFalse();
                    }
                }
            }
            assertThat(images).isEqualTo(1);
            assertThat(clips).isPositive();

            float[] refLogits = new float[model.config().vocab()];
            int[] expected = ref.generate(CONTINUATION, refLogits);
            MultimodalGenerator generator = new MultimodalGenerator(decoder, model.tokenizer(), model.endTokens());
            float[] logits = generator.prefill(ours.prompt(), i -> image, ours.audioEmbeddings(audio));
            double nmse = VisionFixtures.nmse(refLogits, logits);
            System.out.printf("%s + %s %s image + clip: first logits NMSE %.3e%n", kind, audioKind, selector,
                    nmse);
            assertThat(nmse).isLessThan(1e-6);
            assertThat(AudioMtmdAgreementTest.top(logits, 8)).as("the 8 most likely next tokens")
                    .containsExactly(AudioMtmdAgreementTest.top(refLogits, 8));
            // the comparison sees the attention rule: the same prompt with a causal image block is far off
            IntFunction<float[]> soundtrack = ours.audioEmbeddings(audio);
            decoder.reset();
            float[] causal = null;
            for (PromptChunk chunk : mine) {
                causal = switch (chunk) {
                    case PromptChunk.Text t -> decoder.prefill(t.tokens());
                    case PromptChunk.Image im -> decoder.prefillEmbeddings(image, im.tokens(), false);
                    case PromptChunk.Audio a -> decoder.prefillEmbeddings(soundtrack.apply(a.segment()), a.tokens(), false);
                };
            }
            double causalNmse = VisionFixtures.nmse(refLogits, causal);
            System.out.printf("%s + %s %s first logits with a causal image block: NMSE %.3e%n", kind, audioKind,
                    selector, causalNmse);
            assertThat(causalNmse).isGreaterThan(100 * nmse);
            Generation g = generator.generate(ours.prompt(), i -> image, ours.audioEmbeddings(audio), CONTINUATION,
                    SamplingSettings.greedyDecoding(), s -> { });
            long distinct = Arrays.stream(expected).distinct().count();
            System.out.printf("%s + %s %s greedy after image + clip: ours %s, llama.cpp %s (%d distinct)%n", kind,
                    audioKind, selector, Arrays.toString(g.ids()), Arrays.toString(expected), distinct);
            assertThat(g.ids()).containsExactly(expected);
            assertThat(distinct).as("distinct tokens in llama.cpp's continuation (a degenerate model repeats one)")
                    .isGreaterThanOrEqualTo(3);
        }
    }
}
