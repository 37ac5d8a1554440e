package io.tessera.pipeline.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
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
import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.model.RandomGemmaFile;
import io.tessera.pipeline.reference.Mtmd;
import io.tessera.tokenizer.SentencePieceVocab;
import io.tessera.tokenizer.TokenType;

/**
 * The Gemma 4 audio conformer ({@code gemma4a}) against llama.cpp mtmd on the same random-weight
 * mmproj (clamps on every clipped linear of the blocks, every optional bias) and the same 16 kHz
 * WAV: mtmd's token count per chunk, and the projected soft tokens of {@code mtmd_encode_chunk} by
 * NMSE, our log-mel front end included. Clip lengths cover a partial last attention block and a
 * frame count that is odd after each subsampling convolution.
 */
@Tag("reference")
class Gemma4aAgreementTest {
    static final String[] MARKERS = {"<|image>", "<image|>", "<|image|>", "<|audio>", "<audio|>", "<|audio|>"};

    @TempDir
    static Path dir;
    static Path text;
    static Path mmproj;

    @BeforeAll
    static void files() throws IOException {
        text = dir.resolve("text.gguf");
        writeTextWithMarkers(VisionFixtures.text(GgufTensorType.F32), text);
        mmproj = dir.resolve("mmproj-gemma4a.gguf");
        RandomGemma4aMmprojFile.small(VisionFixtures.TEXT_HIDDEN, 41).write(mmproj);
    }

    static Stream<Arguments> cases() {
        return Stream.of(Arguments.of("jvm", 32_000), Arguments.of("jvm", 12_345),
                Arguments.of("opencl:pocl", 20_000));
    }

    @ParameterizedTest(name = "{0} {1} samples")
    @MethodSource("cases")
    void embeddingsAgreeWithMtmd(String selector, int samples) throws IOException {
        Mtmd mtmd = Mtmd.require();
        Path wav = wav(dir.resolve("clip" + samples + ".wav"), clip(samples, samples));
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

    @Test
    void melBinsThatDisagreeWithTheExtractorAreRejected() throws IOException {
        Path bad = dir.resolve("mmproj-80-bins.gguf");
        RandomGemma4aMmprojFile.small(VisionFixtures.TEXT_HIDDEN, 41).withMelBins(80).write(bad);
        assertThatThrownBy(() -> Mmproj.load(bad).close()).isInstanceOf(MmprojFormatException.class)
                .hasMessageContaining(bad.toString()).hasMessageContaining("clip.audio.num_mel_bins = 80")
                .hasMessageContaining("128 mel bins");
    }

    /** Writes {@code text} with its last pieces replaced by the Gemma 4 media markers (control tokens). */
    static void writeTextWithMarkers(RandomGemmaFile text, Path out) throws IOException {
        SentencePieceVocab v = text.vocabulary();
        String[] tokens = v.tokens().clone();
        TokenType[] types = v.types().clone();
        float[] scores = v.scores().clone();
        int vocab = tokens.length;
        for (int i = 0; i < MARKERS.length; i++) {
            tokens[vocab - MARKERS.length + i] = MARKERS[i];
            types[vocab - MARKERS.length + i] = TokenType.CONTROL;
            scores[vocab - MARKERS.length + i] = 0;
        }
        text.write(out, new SentencePieceVocab(tokens, scores, types, v.bosId(), v.eosId(), v.unknownId(),
                v.paddingId(), v.addBos()));
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

    /** Writes mono 16-bit PCM at 16 kHz as a WAV file. */
    static Path wav(Path out, short[] samples) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * samples.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46464952).putInt(36 + 2 * samples.length).putInt(0x45564157);
        b.putInt(0x20746d66).putInt(16).putShort((short) 1).putShort((short) 1).putInt(16_000).putInt(32_000)
                .putShort((short) 2).putShort((short) 16);
        b.putInt(0x61746164).putInt(2 * samples.length);
        for (short x : samples) {
            b.putShort(x);
        }
        Files.write(out, b.array());
        return out;
    }
}
