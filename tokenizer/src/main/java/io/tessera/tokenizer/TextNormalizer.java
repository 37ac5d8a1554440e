package io.tessera.tokenizer;

import java.text.Normalizer;
import java.util.List;

/** One step of text normalisation, applied to each text segment between added tokens. */
sealed interface TextNormalizer {
    String apply(String text);

    /** Replaces every occurrence of a literal string ({@code " "} → {@code "▁"} in SentencePiece vocabularies). */
    record Replace(String pattern, String content) implements TextNormalizer {
        public String apply(String text) {
            return pattern.isEmpty() ? text : text.replace(pattern, content);
        }
    }

    /** Prepends a string to non-empty text (the SentencePiece dummy prefix). */
    record Prepend(String prefix) implements TextNormalizer {
        public String apply(String text) {
            return text.isEmpty() ? text : prefix + text;
        }
    }

    /** Unicode normalisation (NFC, NFKC, ...). */
    record UnicodeForm(Normalizer.Form form) implements TextNormalizer {
        public String apply(String text) {
            return Normalizer.normalize(text, form);
        }
    }

    /** Collapses runs of spaces and trims them at both ends (SentencePiece {@code remove_extra_whitespaces}). */
    record CollapseSpaces() implements TextNormalizer {
        public String apply(String text) {
            StringBuilder sb = new StringBuilder(text.length());
            boolean pendingSpace = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == ' ') {
                    pendingSpace = sb.length() > 0;
                } else {
                    if (pendingSpace) {
                        sb.append(' ');
                        pendingSpace = false;
                    }
                    sb.append(c);
                }
            }
            return sb.toString();
        }
    }

    record Sequence(List<TextNormalizer> steps) implements TextNormalizer {
        public Sequence {
            steps = List.copyOf(steps);
        }

        public String apply(String text) {
            String s = text;
            for (TextNormalizer step : steps) {
                s = step.apply(s);
            }
            return s;
        }
    }
}
