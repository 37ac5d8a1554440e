package io.tessera.pipeline.vision;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.tessera.media.MediaInput;
import io.tessera.media.audio.AudioLoader;
import io.tessera.pipeline.audio.encoder.AudioEncoder;
import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.reference.Mtmd;

/**
 * gemma4ua audio soft tokens against llama.cpp mtmd (mtmd_encode_chunk) on the same random mmproj
 * and the same samples: clip lengths that are and are not whole 640-sample frames, so the
 * zero-padded last frame is covered; token counts from mtmd's chunk, embeddings by NMSE.
 */
@Tag("reference")
class AudioEmbeddingAgreementTest {
    @TempDir
    static Path dir;
    static Path text;
    static Path mmprojF32;
    static Path mmprojF16;

    @BeforeAll
    static void files() throws IOException {
        text = dir.resolve("text.gguf");
        AudioFixtures.writeTextWithMarkers(VisionFixtures.text(GgufTensorType.F32), text);
        mmprojF32 = dir.resolve("mmproj-a-f32.gguf");
        AudioFixtures.mmproj(GgufTensorType.F32).write(mmprojF32);
        mmprojF16 = dir.resolve("mmproj-a-f16.gguf");
        AudioFixtures.mmproj(GgufTensorType.F16).write(mmprojF16);
    }

    static Stream<Arguments> cases() {
        return Stream.of(Arguments.of("jvm", GgufTensorType.F32, 6400, 1e-10),
                Arguments.of("jvm", GgufTensorType.F32, 6401, 1e-10),
                Arguments.of("opencl:pocl", GgufTensorType.F32, 10_000, 1e-10),
                Arguments.of("jvm", GgufTensorType.F16, 3333, 1e-5));
    }

    @ParameterizedTest(name = "{0} {1} {2} samples")
    @MethodSource("cases")
    void audioEmbeddingsAgree(String selector, GgufTensorType type, int samples, double bound) throws IOException {
        Mtmd mtmd = Mtmd.require();
        Path proj = type == GgufTensorType.F32 ? mmprojF32 : mmprojF16;
        Path wav = AudioFixtures.wav(dir.resolve("clip" + samples + ".wav"), AudioFixtures.clip(samples / 16000.0,
                samples));
        float[] theirsPcm = Mtmd.readPcm16Wav(wav);
        float[] oursPcm = new AudioLoader().load16kMono(MediaInput.of(wav));
        assertThat(oursPcm).containsExactly(theirsPcm);
        try (Mmproj mm = Mmproj.load(proj);
             AudioEncoder encoder = AudioEncoder.open(mm, VisionFixtures.device(selector));
             Mtmd.Session ref = mtmd.open(text, proj, 1024)) {
            assertThat(ref.supportsAudio()).isTrue();
            assertThat(ref.audioSampleRate()).isEqualTo(16_000);
            List<Mtmd.Chunk> chunks = ref.tokenize("a" + mtmd.marker() + "b", List.of(new Mtmd.Audio(theirsPcm)));
            int at = -1;
            for (int i = 0; i < chunks.size(); i++) {
                if (chunks.get(i).audio()) {
                    assertThat(at).as("one audio chunk").isEqualTo(-1);
                    at = i;
                }
            }
            assertThat(at).isPositive();
            int tokens = chunks.get(at).tokens();
            assertThat(encoder.tokens(samples)).isEqualTo(tokens).isEqualTo((samples + 639) / 640);
            float[] expected = ref.encodeMedia(at, tokens, encoder.width());
            float[] ours = encoder.encode(oursPcm);
            double nmse = VisionFixtures.nmse(expected, ours);
            System.out.printf("gemma4ua embeddings %s %s %d samples: %d tokens, NMSE %.3e%n", selector, type, samples,
                    tokens, nmse);
            assertThat(nmse).isLessThan(bound);
        }
    }
}
