package io.tessera.pipeline.vision;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * The vision path against llama.cpp's multimodal library on the same random-weight files: image
 * embeddings (mtmd_encode_chunk) by normalised mean squared error, the chunks of an image prompt
 * token for token, and the greedy continuation of prompts with one and with two images.
 *
 * <p>Fair comparison (llama.cpp differs from the official processor): images are square at the
 * model's size, so neither side resizes; the {@code \n\n} that the official prompt puts around
 * each image is written into llama.cpp's prompt text, since mtmd adds only the markers; llama.cpp
 * decodes the image chunk with bidirectional attention, as the official model does.
 */
@Tag("reference")
class MtmdAgreementTest {
    static final int CONTEXT = 256;
    static final int CONTINUATION = 16;

    @TempDir
    static Path dir;
    static Path textF32;
    static Path mmprojF32;
    static Path textF16;
    static Path mmprojF16;

    @BeforeAll
    static void files() throws IOException {
        textF32 = dir.resolve("text-f32.gguf");
        VisionFixtures.writeTextWithImageTokens(VisionFixtures.text(GgufTensorType.F32), textF32);
        mmprojF32 = dir.resolve("mmproj-f32.gguf");
        VisionFixtures.mmproj(GgufTensorType.F32).write(mmprojF32);
        textF16 = dir.resolve("text-f16.gguf");
        VisionFixtures.writeTextWithImageTokens(VisionFixtures.text(GgufTensorType.F16), textF16);
        mmprojF16 = dir.resolve("mmproj-f16.gguf");
        VisionFixtures.mmproj(GgufTensorType.F16).write(mmprojF16);
    }

    static Stream<Arguments> encoders() {
        return Stream.of(Arguments.of("jvm", GgufTensorType.F32, 1e-5), Arguments.of("opencl:pocl", GgufTensorType.F32,
                1e-5), Arguments.of("jvm", GgufTensorType.F16, 1e-4));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("encoders")
    void imageEmbeddingsAgree(String selector, GgufTensorType type, double bound) {
        Mtmd mtmd = Mtmd.require();
        Device device = VisionFixtures.device(selector);
        Path text = type == GgufTensorType.F32 ? textF32 : textF16;
        Path proj = type == GgufTensorType.F32 ? mmprojF32 : mmprojF16;
        RgbImage a = VisionFixtures.image(224, 1);
        RgbImage b = VisionFixtures.image(224, 2);
        try (Mmproj mm = Mmproj.load(proj);
             VisionEncoder encoder = new VisionEncoder(mm, device, VisionEncoder.Options.batch(2));
             Mtmd.Session ref = mtmd.open(text, proj, CONTEXT)) {
            VisionConfig c = mm.config();
            List<float[]> ours = encoder.encode(List.of(VisionFixtures.pixels(c, a), VisionFixtures.pixels(c, b)));
            List<Mtmd.Chunk> chunks = ref.tokenize("x" + mtmd.marker() + "y" + mtmd.marker(),
                    List.of(a.rgb(), b.rgb()), List.of(new int[] {224, 224}, new int[] {224, 224}));
            List<Integer> images = new ArrayList<>();
            for (int i = 0; i < chunks.size(); i++) {
                if (chunks.get(i).image()) {
                    assertThat(chunks.get(i).tokens()).isEqualTo(c.softTokens());
                    images.add(i);
                }
            }
            assertThat(images).hasSize(2);
            for (int k = 0; k < 2; k++) {
                float[] expected = ref.encode(images.get(k), c.softTokens(), c.projectionDim());
                double nmse = VisionFixtures.nmse(expected, ours.get(k));
                System.out.printf("image embeddings %s %s image %d: NMSE %.3e%n", selector, type, k, nmse);
                assertThat(nmse).as("NMSE of image %d", k).isLessThan(bound);
            }
        }
    }

    @Test
    void batchesGiveTheSameEmbeddingsAsSingleImages() {
        try (Mmproj mm = Mmproj.load(mmprojF32);
             VisionEncoder batched = new VisionEncoder(mm, Device.jvm(), VisionEncoder.Options.batch(2));
             VisionEncoder single = new VisionEncoder(mm, Device.jvm(), VisionEncoder.Options.batch(1))) {
            VisionConfig c = mm.config();
            List<FloatTensor> images = List.of(VisionFixtures.pixels(c, VisionFixtures.image(224, 5)),
                    VisionFixtures.pixels(c, VisionFixtures.image(224, 6)), VisionFixtures.pixels(c,
                            VisionFixtures.image(224, 7)));
            List<float[]> a = batched.encode(images);
            List<float[]> b = single.encode(images);
            for (int i = 0; i < images.size(); i++) {
                assertThat(VisionFixtures.nmse(b.get(i), a.get(i))).isLessThan(1e-12);
            }
            assertThat(VisionFixtures.nmse(b.get(0), b.get(1))).isGreaterThan(1e-3);
        }
    }

    static Stream<Arguments> prompts() {
        return Stream.of(Arguments.of(1, "{image}Describe this image."), Arguments.of(2,
                "Compare {image} with {image} please."), Arguments.of(2, "What differs?"));
    }

    @ParameterizedTest(name = "{0} images: {1}")
    @MethodSource("prompts")
    void greedyContinuationAgrees(int count, String prompt) {
        Mtmd mtmd = Mtmd.require();
        List<RgbImage> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            images.add(VisionFixtures.image(224, 10 + i));
        }
        try (Model model = Model.load(textF32);
             Mmproj mm = Mmproj.load(mmprojF32);
             VisionEncoder encoder = new VisionEncoder(mm, Device.jvm(), VisionEncoder.Options.batch(count));
             Decoder decoder = new Decoder(model, Device.jvm(), new Decoder.Options(CONTEXT, 32, false));
             Mtmd.Session ref = mtmd.open(textF32, mmprojF32, CONTEXT)) {
            mm.checkCompatible(model);
            VisionConfig c = mm.config();
            Interleaver interleaver = new Interleaver(model.tokenizer(), c);
            List<ChatMessage> chat = List.of(new ChatMessage(ChatMessage.Role.USER,
                    Interleaver.userContent(prompt, count)));
            InterleavedPrompt ours = interleaver.expand(ChatTemplate.GEMMA3.encode(model.tokenizer(), chat, true), count);
            List<float[]> embeddings = encoder.encode(images.stream().map(im -> VisionFixtures.pixels(c, im)).toList());

            // the same conversation for llama.cpp: its marker in place of each image, the \n\n written out
            String rendered = ChatTemplate.GEMMA3.render(chat, true).replaceFirst("^<bos>", "")
                    .replace("<start_of_image>", "\n\n" + mtmd.marker() + "\n\n");
            List<Mtmd.Chunk> chunks = ref.tokenize(rendered, images.stream().map(RgbImage::rgb).toList(),
                    images.stream().map(im -> new int[] {im.width(), im.height()}).toList());
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

            float[] refLogits = new float[model.config().vocab()];
            int[] expected = ref.generate(CONTINUATION, refLogits);
            MultimodalGenerator generator = new MultimodalGenerator(decoder, model.tokenizer(), model.endTokens());
            float[] logits = generator.prefill(ours, embeddings::get);
            double nmse = VisionFixtures.nmse(refLogits, logits);
            System.out.printf("first logits after %d image(s): NMSE %.3e%n", count, nmse);
            assertThat(nmse).isLessThan(1e-6);
            // the comparison sees the attention rule: the same prompt with causal image blocks is far off
            decoder.reset();
            float[] causal = null;
            for (PromptChunk chunk : ours.chunks()) {
                causal = switch (chunk) {
                    case PromptChunk.Text t -> decoder.prefill(t.tokens());
                    case PromptChunk.Image im -> decoder.prefillEmbeddings(embeddings.get(im.image()), im.tokens(),
                            false);
                    case PromptChunk.Audio a -> throw new AssertionError("image prompts have no audio chunk " + a);
                };
            }
            double causalNmse = VisionFixtures.nmse(refLogits, causal);
            System.out.printf("first logits with causal image blocks: NMSE %.3e%n", causalNmse);
            assertThat(causalNmse).isGreaterThan(100 * nmse);
            Generation g = generator.generate(ours, embeddings::get, CONTINUATION, SamplingSettings.greedyDecoding(),
                    s -> { });
            System.out.printf("greedy after %d image(s): ours %s, llama.cpp %s%n", count,
                    java.util.Arrays.toString(g.ids()), java.util.Arrays.toString(expected));
            assertThat(g.ids()).containsExactly(expected);
        }
    }
}
