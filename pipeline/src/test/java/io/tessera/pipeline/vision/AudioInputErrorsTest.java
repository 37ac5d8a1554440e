package io.tessera.pipeline.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tessera.pipeline.audio.encoder.AudioEncoder;
import io.tessera.pipeline.audio.encoder.AudioTensorNames;
import io.tessera.pipeline.audio.encoder.RandomGemma4uaMmprojFile;
import io.tessera.pipeline.generate.Decoder;
import io.tessera.pipeline.generate.PromptException;
import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.gguf.GgufValue;
import io.tessera.pipeline.gguf.GgufValueType;
import io.tessera.pipeline.model.Model;
import io.tessera.tasks.api.Device;
import io.tessera.tokenizer.ChatTemplate;

/** Audio input the pipeline cannot take: one clear, typed error each, naming the input and the problem. */
class AudioInputErrorsTest {
    @TempDir
    static Path dir;
    static Path text;
    static Path mmproj;

    @BeforeAll
    static void files() throws IOException {
        text = dir.resolve("text.gguf");
        AudioFixtures.writeText(text);
        mmproj = dir.resolve("mmproj-a.gguf");
        AudioFixtures.mmproj(GgufTensorType.F32).write(mmproj);
    }

    @Test
    void gemma4uaFramesMustBe640Samples() throws IOException {
        Path p = dir.resolve("bins128.gguf");
        new RandomGemma4uaMmprojFile(VisionFixtures.TEXT_HIDDEN, 128, GgufTensorType.F32, 1).write(p);
        assertThatThrownBy(() -> Mmproj.load(p)).isInstanceOf(MmprojFormatException.class)
                .hasMessageStartingWith(p.toString())
                .hasMessageContaining("clip.audio.num_mel_bins = 128 but the gemma4ua audio input has 640 samples per frame");
    }

    @Test
    void conformerMelBinsMustMatchTheFeatureExtractor() throws IOException {
        Path p = dir.resolve("gemma4a-80.gguf");
        VisionFixtures.rewrite(mmproj, p, meta -> {
            meta.put(ClipKeys.AUDIO_PROJECTOR_TYPE, new GgufValue.Str("gemma4a"));
            meta.put(ClipKeys.AUDIO_NUM_MEL_BINS, new GgufValue.Integer(GgufValueType.UINT32, 80));
        }, name -> true);
        assertThatThrownBy(() -> Mmproj.load(p)).isInstanceOf(MmprojFormatException.class)
                .hasMessageContaining("clip.audio.num_mel_bins = 80 but the gemma4a audio input has 128 mel bins");
    }

    @Test
    void anUnknownAudioProjectorIsNamed() throws IOException {
        Path p = dir.resolve("qwen2a.gguf");
        VisionFixtures.rewrite(mmproj, p, meta -> meta.put(ClipKeys.AUDIO_PROJECTOR_TYPE, new GgufValue.Str("qwen2a")),
                name -> true);
        assertThatThrownBy(() -> Mmproj.load(p)).isInstanceOf(MmprojFormatException.class)
                .hasMessageContaining("audio projector type 'qwen2a' is not supported (supported: gemma4ua, gemma4a)");
    }

    @Test
    void aProjectionOfTheWrongFrameWidthIsNamed() throws IOException {
        Path p = dir.resolve("no-projection.gguf");
        VisionFixtures.rewrite(mmproj, p, meta -> { }, name -> !name.equals(AudioTensorNames.MM_A_INPUT_PROJECTION));
        try (Mmproj mm = Mmproj.load(p)) {
            assertThatThrownBy(() -> AudioEncoder.open(mm, Device.jvm())).isInstanceOf(MmprojFormatException.class)
                    .hasMessageContaining("missing tensor mm.a.input_projection.weight (audio projector gemma4ua)");
        }
    }

    @Test
    void anAudioFileHasNoVisionPartAndAVisionFileNoAudioPart() throws IOException {
        Path vision = dir.resolve("vision.gguf");
        VisionFixtures.mmproj(GgufTensorType.F32).write(vision);
        try (Mmproj a = Mmproj.load(mmproj); Mmproj v = Mmproj.load(vision)) {
            assertThatThrownBy(a::config).isInstanceOf(MmprojFormatException.class)
                    .hasMessageContaining("has no vision encoder").hasMessageContaining("cannot take images");
            assertThatThrownBy(v::audio).isInstanceOf(MmprojFormatException.class)
                    .hasMessageContaining("has no audio encoder").hasMessageContaining("cannot take audio");
        }
    }

    @Test
    void aClipWithoutSamplesIsRefused() {
        try (Model model = Model.load(text); Mmproj mm = Mmproj.load(mmproj);
             AudioEncoder encoder = AudioEncoder.open(mm, Device.jvm())) {
            assertThatThrownBy(() -> encoder.chunkTokens(0)).isInstanceOf(PromptException.class)
                    .hasMessageContaining("0 samples").hasMessageContaining("no audio");
            Interleaver interleaver = Interleaver.forMmproj(model.tokenizer(), mm, model.config().hidden());
            assertThatThrownBy(() -> MultimodalPrompt.build(model.tokenizer(), interleaver, ChatTemplate.GEMMA3, null,
                    "{audio} and {audio}", List.of(), 0, List.of(new float[100], new float[0]), List.of(), null,
                    encoder)).isInstanceOf(PromptException.class).hasMessage("audio clip 1 has no samples");
        }
    }

    @Test
    void audioLongerThanTheContextIsRefusedBeforeDecoding() {
        try (Model model = Model.load(text); Mmproj mm = Mmproj.load(mmproj);
             AudioEncoder encoder = AudioEncoder.open(mm, Device.jvm());
             Decoder decoder = new Decoder(model, Device.jvm(), new Decoder.Options(128, 32, false))) {
            Interleaver interleaver = Interleaver.forMmproj(model.tokenizer(), mm, model.config().hidden());
            // 6 s at 25 tokens per second: 150 soft tokens
            MultimodalPrompt p = MultimodalPrompt.build(model.tokenizer(), interleaver, ChatTemplate.GEMMA3, null,
                    "Transcribe.", List.of(), 0, List.of(new float[96_000]), List.of(), null, encoder);
            assertThat(p.prompt().audioPositions()).isEqualTo(150);
            int[] encoded = {0};
            assertThatThrownBy(() -> new MultimodalGenerator(decoder, model.tokenizer(), model.endTokens())
                    .prefill(p.prompt(), i -> null, s -> {
                        encoded[0]++;
                        return encoder.encode(encoder.chunk(p.clips().get(0), s));
                    })).isInstanceOf(PromptException.class)
                    .hasMessageContaining("1 audio chunks of 150 included")
                    .hasMessageContaining("does not fit in the context of 128 tokens");
            assertThat(encoded[0]).as("nothing encoded").isZero();
        }
    }

    @Test
    void placeholdersMustMatchTheClips() {
        assertThatThrownBy(() -> Interleaver.userContent("{audio} and {audio}", 0, 1))
                .isInstanceOf(PromptException.class).hasMessage("the prompt has 2 {audio} placeholders for 1 audio clips");
    }
}
