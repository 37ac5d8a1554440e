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
import io.tessera.pipeline.generate.PromptException;
import io.tessera.pipeline.model.Model;
import io.tessera.tokenizer.ChatMessage;
import io.tessera.tokenizer.ChatTemplate;
import io.tessera.tokenizer.Marker;

/** Audio in prompts: placeholders, the Gemma 4 audio markers, 30 s chunks, token counts per clip and per image. */
class AudioInterleaverTest {
    @TempDir
    static Path dir;
    static Path text;

    @BeforeAll
    static void files() throws IOException {
        text = dir.resolve("text.gguf");
        AudioFixtures.writeText(text);
    }

    @Test
    void imageAndAudioPlaceholdersKeepTheirOrderAndUnplacedKindsGoFirst() {
        assertThat(Interleaver.userContent("a {audio} b {image} c {audio}", 1, 2)).containsExactly(
                new ChatMessage.Text("a "), new ChatMessage.Audio(), new ChatMessage.Text(" b "), new ChatMessage.Image(),
                new ChatMessage.Text(" c "), new ChatMessage.Audio());
        assertThat(Interleaver.userContent("x {image} y", 1, 2)).containsExactly(new ChatMessage.Audio(),
                new ChatMessage.Audio(), new ChatMessage.Text("x "), new ChatMessage.Image(), new ChatMessage.Text(" y"));
        assertThat(Interleaver.userContent("plain", 1, 1)).containsExactly(new ChatMessage.Image(),
                new ChatMessage.Audio(), new ChatMessage.Text("plain"));
    }

    /** The processor's count for the Gemma 4 conformer (spec/MODELS.md §4.2), a closed form independent of the code. */
    static int gemma4aTokens(long samples) {
        long frames = Math.floorDiv(samples + 160 - 321, 160) + 1;
        long t = frames;
        for (int i = 0; i < 2; i++) {
            t = Math.floorDiv(t + 2 - 3, 2) + 1;
        }
        return (int) Math.min(t, 750);
    }

    @Test
    void aLongClipIsCutEvery30sAndEachPieceIsOneChunkBetweenOnePairOfMarkers() {
        int[] pieces = AudioEncoder.chunkTokens(65L * 16_000, AudioEncoder.THIRTY_SECONDS,
                AudioInterleaverTest::gemma4aTokens);
        assertThat(pieces).containsExactly(750, 750, 125);
        try (Model model = Model.load(text)) {
            var tok = model.tokenizer();
            Interleaver in = new Interleaver(tok, MediaWrap.GEMMA3_IMAGE, MediaWrap.GEMMA4_AUDIO, 64);
            int[] ids = in.template(ChatTemplate.GEMMA3).encode(tok, List.of(new ChatMessage(ChatMessage.Role.USER,
                    Interleaver.userContent("hear {audio} see {image} hear {audio}", 1, 2))), true);
            InterleavedPrompt p = in.expand(ids, List.of(9), List.of(pieces, new int[] {4}));
            List<PromptChunk> c = p.chunks();
            int open = tok.requireMarker(Marker.AUDIO_OPEN);
            int close = tok.requireMarker(Marker.AUDIO_CLOSE);
            assertThat(c.get(1)).isEqualTo(new PromptChunk.Audio(0, 0, 750, 64));
            assertThat(c.get(2)).isEqualTo(new PromptChunk.Audio(1, 0, 750, 64));
            assertThat(c.get(3)).isEqualTo(new PromptChunk.Audio(2, 0, 125, 64));
            assertThat(c.get(5)).isEqualTo(new PromptChunk.Image(0, 9, 64, true));
            assertThat(c.get(7)).isEqualTo(new PromptChunk.Audio(3, 1, 4, 64));
            int[] before = ((PromptChunk.Text) c.get(0)).tokens();
            assertThat(before[before.length - 1]).isEqualTo(open);
            assertThat(((PromptChunk.Text) c.get(4)).tokens()[0]).isEqualTo(close);
            assertThat(c).hasSize(9);
            assertThat(p.audioSegments()).isEqualTo(4);
            assertThat(p.audioPositions()).isEqualTo(1629);
            assertThat(p.imagePositions()).isEqualTo(9);
            int placeholder = tok.requireMarker(Marker.AUDIO_PLACEHOLDER);
            assertThat(java.util.Arrays.stream(p.ids(-1, placeholder)).filter(i -> i == placeholder).count())
                    .isEqualTo(1629);
            assertThatThrownBy(() -> in.expand(ids, List.of(9), List.of(pieces))).isInstanceOf(PromptException.class)
                    .hasMessageContaining("more <|audio> markers than the 1 audio clips given");
        }
    }

    @Test
    void aRawPromptWritesTheOpenMarkersInPlace() {
        try (Model model = Model.load(text)) {
            Interleaver in = new Interleaver(model.tokenizer(), null, MediaWrap.GEMMA4_AUDIO, 64);
            assertThat(in.raw(Interleaver.userContent("say {audio} now", 0, 1))).isEqualTo("say <|audio> now");
            assertThatThrownBy(() -> in.raw(List.of(new ChatMessage.Image()))).isInstanceOf(PromptException.class)
                    .hasMessageContaining("no encoder for them");
        }
    }
}
