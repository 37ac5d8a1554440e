package io.tessera.tokenizer;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The comparison corpus of src/test/node/corpus.js (shared with the GGUF tests): the hand-written
 * texts of corpus.json, then more than 2,000 texts from a seeded generator (prose, code, numbers,
 * emoji, CJK, Arabic, Devanagari, combining accents, whitespace runs, special-token look-alikes,
 * control and unassigned characters, empty texts and a line of more than 100 kB). The generator is
 * run by node, which every test using the corpus needs anyway for its reference.
 */
final class Corpus {
    private static List<String> texts;
    private static String unavailable;

    private Corpus() {
    }

    static synchronized List<String> texts() {
        if (texts == null && unavailable == null) {
            try {
                JsonNode array = References.node("corpus.js", List.of(), List.of());
                List<String> list = new ArrayList<>(array.size());
                array.forEach(t -> list.add(t.stringValue()));
                texts = List.copyOf(list);
            } catch (java.io.IOException e) {
                unavailable = "cannot run node to generate the corpus: " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                unavailable = "interrupted while generating the corpus";
            }
        }
        assumeTrue(unavailable == null, unavailable);
        return texts;
    }
}
