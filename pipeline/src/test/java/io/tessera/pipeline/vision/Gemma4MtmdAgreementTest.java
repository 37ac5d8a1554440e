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

import io.tessera.media.FloatTensor;
import io.tessera.media.image.RgbImage;
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
 * The Gemma 4 vision projectors against llama.cpp's multimodal library on the same random-weight
 * files: embeddings (mtmd_encode_chunk) by normalised mean squared error for images of three
 * aspect ratios, the soft-token counts of images that both sides resize (at the image budget and at
 * the video frame budget), and the greedy continuation of prompts with one image.
 *
 * <p>Fair comparison: images at sizes llama.cpp keeps (multiples of 48 within its token bounds)
 * are not resampled on either side; the prompt is the same text on both sides, with mtmd's
 * {@code <|image>} / {@code <image|>} markers around the image. Images that need resizing (those
 * of the continuations among them) go through llama.cpp's sizing on our side ({@link Gemma4ImagePreprocessing.Mode#LLAMA_CPP}:
 * its bounds, its aligned-corner bilinear filter and its letterbox), since mtmd resizes them its own way.
 */
@Tag("reference")
class Gemma4MtmdAgreementTest {
    static final int CONTEXT = 512;
    static final int CONTINUATION = 16;

    @TempDir
    static Path dir;
    static Path text;
    static Path tower;
    static Path unified;
    static Path towerF16;

    @BeforeAll
    static void files() throws IOException {
        text = dir.resolve("text-f32.gguf");
        Gemma4VisionFixtures.writeText(VisionFixtures.text(GgufTensorType.F32), text);
        tower = dir.resolve("mmproj-gemma4v.gguf");
        Gemma4VisionFixtures.encoder().write(tower);
        unified = dir.resolve("mmproj-gemma4uv.gguf");
        Gemma4VisionFixtures.unified().write(unified);
        towerF16 = dir.resolve("mmproj-gemma4v-f16.gguf");
        RandomGemma4MmprojFile f = Gemma4VisionFixtures.encoder();
        new RandomGemma4MmprojFile(f.kind(), f.patchSize(), f.hidden(), f.ffn(), f.layers(), f.heads(),
                f.projectionDim(), f.positionRows(), f.clipped(), f.standardize(), GgufTensorType.F16, f.seed())
                .write(towerF16);
    }

    static Path mmproj(String kind) {
        return switch (kind) {
            case "gemma4v" -> tower;
            case "gemma4v F16" -> towerF16;
            default -> unified;
        };
    }

    /**
     * Landscape and portrait images of different ratios below llama.cpp's minimum of tokens (so
     * scaled up), and one above its maximum (scaled down; at the nearest units it would take 299).
     */
    static final List<RgbImage> IMAGES = List.of(Gemma4VisionFixtures.image(200, 120, 1),
            Gemma4VisionFixtures.image(90, 160, 2), Gemma4VisionFixtures.image(1100, 600, 3));

    /** Sizes llama.cpp keeps as they are (multiples of 48 within its bounds): no resampling on either side. */
    static final List<RgbImage> EXACT = List.of(Gemma4VisionFixtures.image(432, 240, 4),
            Gemma4VisionFixtures.image(240, 432, 5), Gemma4VisionFixtures.image(336, 336, 6));

    static Stream<Arguments> devices() {
        return Stream.of(Arguments.of("gemma4v", "jvm", 1e-5), Arguments.of("gemma4v", "opencl:pocl", 1e-5),
                Arguments.of("gemma4v F16", "jvm", 1e-5), Arguments.of("gemma4uv", "jvm", 1e-5),
                Arguments.of("gemma4uv", "opencl:pocl", 1e-5));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("devices")
    void embeddingsAgree(String kind, String selector, double bound) {
        Mtmd mtmd = Mtmd.require();
        Device device = VisionFixtures.device(selector);
        Path proj = mmproj(kind);
        try (Mmproj mm = Mmproj.load(proj);
             Gemma4VisionEncoder encoder = new Gemma4VisionEncoder(mm.gemma4Vision(), mm.gemma4VisionWeights(), device,
                     VisionEncoder.Options.batch(1));
             Mtmd.Session ref = mtmd.open(text, proj, CONTEXT)) {
            Gemma4VisionConfig c = mm.gemma4Vision();
            for (RgbImage im : EXACT) {
                FloatTensor pixels = Gemma4ImagePreprocessing.llamaCpp().preprocess(im, c);
                assertThat(pixels.shape()).containsExactly(3, im.height(), im.width());
                float[] ours = encoder.encode(List.of(pixels)).get(0);
                List<Mtmd.Chunk> chunks = ref.tokenize("x" + mtmd.marker(), List.of(im.rgb()),
                        List.of(new int[] {im.width(), im.height()}));
                int tokens = c.softTokens(im.width(), im.height());
                assertThat(chunks.get(1).tokens()).isEqualTo(tokens);
                double nmse = VisionFixtures.nmse(ref.encode(1, tokens, c.projectionDim()), ours);
                System.out.printf("%s %s %dx%d (%d soft tokens): NMSE %.3e%n", kind, selector, im.width(), im.height(),
                        tokens, nmse);
                assertThat(nmse).isLessThan(bound);
            }
        }
    }

    static Stream<Arguments> embeddings() {
        return Stream.of(Arguments.of("gemma4v", "jvm", -1),
                Arguments.of("gemma4v", "jvm", Gemma4ImagePreprocessing.VIDEO_FRAME_TOKENS),
                Arguments.of("gemma4uv", "jvm", -1));
    }

    @ParameterizedTest(name = "{0} on {1}, max tokens {2}")
    @MethodSource("embeddings")
    void resizedImagesAgree(String kind, String selector, int maxTokens) {
        Mtmd mtmd = Mtmd.require();
        Device device = VisionFixtures.device(selector);
        Path proj = mmproj(kind);
        try (Mmproj mm = Mmproj.load(proj);
             Gemma4VisionEncoder encoder = new Gemma4VisionEncoder(mm.gemma4Vision(), mm.gemma4VisionWeights(), device,
                     VisionEncoder.Options.batch(2));
             Mtmd.Session ref = mtmd.open(text, proj, CONTEXT, -1, maxTokens)) {
            Gemma4VisionConfig c = mm.gemma4Vision();
            Gemma4ImagePreprocessing sizing = maxTokens > 0 ? Gemma4ImagePreprocessing.llamaCpp().withMaxTokens(maxTokens)
                    : Gemma4ImagePreprocessing.llamaCpp();
            List<FloatTensor> pixels = IMAGES.stream().map(im -> sizing.preprocess(im, c)).toList();
            List<float[]> ours = encoder.encode(pixels);
            List<Mtmd.Chunk> chunks = ref.tokenize("x" + mtmd.marker() + "y" + mtmd.marker() + "z" + mtmd.marker(),
                    IMAGES.stream().map(RgbImage::rgb).toList(),
                    IMAGES.stream().map(im -> new int[] {im.width(), im.height()}).toList());
            List<Integer> images = new ArrayList<>();
            for (int i = 0; i < chunks.size(); i++) {
                if (chunks.get(i).image()) {
                    images.add(i);
                }
            }
            assertThat(images).hasSize(IMAGES.size());
            for (int k = 0; k < IMAGES.size(); k++) {
                int[] shape = pixels.get(k).shape();
                int tokens = c.softTokens(shape[2], shape[1]);
                System.out.printf("%s %s image %dx%d -> %dx%d, %d soft tokens; llama.cpp %d%n", kind, selector,
                        IMAGES.get(k).width(), IMAGES.get(k).height(), shape[2], shape[1], tokens,
                        chunks.get(images.get(k)).tokens());
                assertThat(chunks.get(images.get(k)).tokens()).as("soft tokens of image %d", k).isEqualTo(tokens);
                float[] expected = ref.encode(images.get(k), tokens, c.projectionDim());
                double nmse = VisionFixtures.nmse(expected, ours.get(k));
                System.out.printf("%s %s image %d embeddings after resizing: NMSE %.3e%n", kind, selector, k, nmse);
                assertThat(nmse).as("NMSE of image %d", k).isLessThan(1e-5);
            }
            int[] large = pixels.get(2).shape();
            assertThat(c.softTokens(large[2], large[1])).isLessThanOrEqualTo(maxTokens > 0 ? maxTokens
                    : Gemma4ImagePreprocessing.LLAMA_CPP_MAX_TOKENS);
        }
    }

    static Stream<Arguments> continuations() {
        return Stream.of(Arguments.of("gemma4v", 0), Arguments.of("gemma4v", 1), Arguments.of("gemma4uv", 0));
    }

    @ParameterizedTest(name = "{0} image {1}")
    @MethodSource("continuations")
    void greedyContinuationAgrees(String kind, int image) {
        Mtmd mtmd = Mtmd.require();
        Path proj = mmproj(kind);
        RgbImage picture = IMAGES.get(image);
        try (Model model = Model.load(text);
             Mmproj mm = Mmproj.load(proj);
             Gemma4VisionEncoder encoder = new Gemma4VisionEncoder(mm.gemma4Vision(), mm.gemma4VisionWeights(),
                     Device.jvm(), VisionEncoder.Options.batch(1));
             Decoder decoder = new Decoder(model, Device.jvm(), new Decoder.Options(CONTEXT, 64, false));
             Mtmd.Session ref = mtmd.open(text, proj, CONTEXT)) {
            mm.checkCompatible(model);
            Gemma4VisionConfig c = mm.gemma4Vision();
            FloatTensor pixels = Gemma4ImagePreprocessing.llamaCpp().preprocess(picture, c);
            float[] embeddings = encoder.encode(List.of(pixels)).get(0);
            int tokens = c.softTokens(pixels.shape()[2], pixels.shape()[1]);
            var tokenizer = model.tokenizer();
            Interleaver interleaver = Interleaver.forMmproj(tokenizer, mm, model.config().hidden());
            List<ChatMessage> chat = List.of(new ChatMessage(ChatMessage.Role.USER,
                    Interleaver.userContent("Describe this image.", 1)));
            ChatTemplate template = interleaver.template(ChatTemplate.GEMMA3);
            InterleavedPrompt ours = interleaver.expand(template.encode(tokenizer, chat, true), List.of(tokens),
                    List.of());

            // the same conversation for llama.cpp: its media marker where the image goes; mtmd adds <|image>, <image|>
            String rendered = template.render(chat, true).replaceFirst("^<bos>", "").replace("<|image>", mtmd.marker());
            List<Mtmd.Chunk> chunks = ref.tokenize(rendered, List.of(picture.rgb()),
                    List.of(new int[] {picture.width(), picture.height()}));
            assertThat(chunks).hasSameSizeAs(ours.chunks());
            for (int i = 0; i < chunks.size(); i++) {
                PromptChunk mine = ours.chunks().get(i);
                Mtmd.Chunk theirs = chunks.get(i);
                assertThat(theirs.image()).as("chunk %d is an image", i).isEqualTo(mine instanceof PromptChunk.Image);
                assertThat(theirs.tokens()).as("positions of chunk %d", i).isEqualTo(mine.positions());
                if (mine instanceof PromptChunk.Text t) {
                    assertThat(theirs.text()).as("tokens of chunk %d", i).containsExactly(t.tokens());
                }
            }
            assertThat(ref.nonCausal(1)).as("mtmd decodes the image block bidirectionally").isTrue();
            assertThat(((PromptChunk.Image) ours.chunks().get(1)).bidirectional()).isTrue();

            float[] refLogits = new float[model.config().vocab()];
            int[] expected = ref.generate(CONTINUATION, refLogits);
            MultimodalGenerator generator = new MultimodalGenerator(decoder, tokenizer, model.endTokens());
            float[] logits = generator.prefill(ours, i -> embeddings);
            double nmse = VisionFixtures.nmse(refLogits, logits);
            System.out.printf("%s image %d (%d soft tokens): first logits NMSE %.3e%n", kind, image, tokens, nmse);
            assertThat(nmse).isLessThan(1e-6);
            // the comparison sees the attention rule: the same prompt with a causal image block is far off
            decoder.reset();
            float[] causal = null;
            for (PromptChunk chunk : ours.chunks()) {
                causal = switch (chunk) {
                    case PromptChunk.Text t -> decoder.prefill(t.tokens());
                    case PromptChunk.Image im -> decoder.prefillEmbeddings(embeddings, im.tokens(), false);
                    case PromptChunk.Audio a -> throw new AssertionError("no audio in this prompt");
                };
            }
            double causalNmse = VisionFixtures.nmse(refLogits, causal);
            System.out.printf("%s first logits with a causal image block: NMSE %.3e%n", kind, causalNmse);
            assertThat(causalNmse).isGreaterThan(100 * nmse);
            Generation g = generator.generate(ours, i -> embeddings, CONTINUATION, SamplingSettings.greedyDecoding(),
                    s -> { });
            System.out.printf("%s greedy after image %d: ours %s, llama.cpp %s%n", kind, image,
                    Arrays.toString(g.ids()), Arrays.toString(expected));
            assertThat(g.ids()).containsExactly(expected);
        }
    }

    @Test
    void batchesGiveTheSameEmbeddingsAsSingleImages() {
        try (Mmproj mm = Mmproj.load(tower);
             Gemma4VisionEncoder batched = new Gemma4VisionEncoder(mm.gemma4Vision(), mm.gemma4VisionWeights(),
                     Device.jvm(), VisionEncoder.Options.batch(3));
             Gemma4VisionEncoder single = new Gemma4VisionEncoder(mm.gemma4Vision(), mm.gemma4VisionWeights(),
                     Device.jvm(), VisionEncoder.Options.batch(1))) {
            Gemma4ImagePreprocessing sizing = Gemma4ImagePreprocessing.videoFrames();
            List<FloatTensor> frames = List.of(sizing.preprocess(Gemma4VisionFixtures.image(320, 180, 5), mm.gemma4Vision()),
                    sizing.preprocess(Gemma4VisionFixtures.image(320, 180, 6), mm.gemma4Vision()),
                    sizing.preprocess(Gemma4VisionFixtures.image(320, 180, 7), mm.gemma4Vision()));
            List<float[]> a = batched.encode(frames);
            List<float[]> b = single.encode(frames);
            for (int i = 0; i < frames.size(); i++) {
                assertThat(VisionFixtures.nmse(b.get(i), a.get(i))).isLessThan(1e-12);
            }
            assertThat(VisionFixtures.nmse(b.get(0), b.get(1))).isGreaterThan(1e-3);
        }
    }
}
