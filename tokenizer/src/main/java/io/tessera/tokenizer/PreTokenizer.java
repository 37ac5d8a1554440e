package io.tessera.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Splits normalised text into the words that BPE encodes separately (Hugging Face pre-tokenizers). */
sealed interface PreTokenizer {
    /** Adds the words of {@code text} to {@code out}; {@code first} tells whether this is the first segment. */
    void split(String text, boolean first, List<String> out);

    /** The whole segment is one word (SentencePiece). */
    record Whole() implements PreTokenizer {
        public void split(String text, boolean first, List<String> out) {
            out.add(text);
        }
    }

    /** How a {@link Split} treats the delimiter it matches (Hugging Face {@code SplitDelimiterBehavior}). */
    enum Behavior { REMOVED, ISOLATED, MERGED_WITH_PREVIOUS, MERGED_WITH_NEXT, CONTIGUOUS }

    /** Splits on a literal string or a regular expression. */
    record Split(Pattern pattern, Behavior behavior, boolean invert) implements PreTokenizer {
        public void split(String text, boolean first, List<String> out) {
            List<int[]> pieces = new ArrayList<>(); // {start, end, isMatch}
            Matcher m = pattern.matcher(text);
            int last = 0;
            while (m.find()) {
                if (m.end() == m.start()) {
                    continue;
                }
                if (m.start() > last) {
                    pieces.add(new int[] {last, m.start(), invert ? 1 : 0});
                }
                pieces.add(new int[] {m.start(), m.end(), invert ? 0 : 1});
                last = m.end();
            }
            if (last < text.length()) {
                pieces.add(new int[] {last, text.length(), invert ? 1 : 0});
            }
            List<int[]> words = new ArrayList<>();
            for (int i = 0; i < pieces.size(); i++) {
                int[] p = pieces.get(i);
                boolean delimiter = p[2] == 1;
                switch (behavior) {
                    case REMOVED -> {
                        if (!delimiter) {
                            words.add(new int[] {p[0], p[1]});
                        }
                    }
                    case ISOLATED -> words.add(new int[] {p[0], p[1]});
                    case MERGED_WITH_PREVIOUS -> {
                        if (delimiter && !words.isEmpty() && pieces.get(i - 1)[2] == 0) {
                            words.getLast()[1] = p[1];
                        } else {
                            words.add(new int[] {p[0], p[1]});
                        }
                    }
                    case MERGED_WITH_NEXT -> {
                        if (!delimiter && i > 0 && pieces.get(i - 1)[2] == 1) {
                            words.getLast()[1] = p[1];
                        } else {
                            words.add(new int[] {p[0], p[1]});
                        }
                    }
                    case CONTIGUOUS -> {
                        if (delimiter && i > 0 && pieces.get(i - 1)[2] == 1) {
                            words.getLast()[1] = p[1];
                        } else {
                            words.add(new int[] {p[0], p[1]});
                        }
                    }
                }
            }
            for (int[] w : words) {
                out.add(text.substring(w[0], w[1]));
            }
        }
    }

    /**
     * Hugging Face {@code Metaspace}: spaces become the replacement character, a prefix is added
     * per the prepend scheme, and with {@code splitWords} each word starts at a replacement character.
     */
    record Metaspace(String replacement, String prependScheme, boolean splitWords) implements PreTokenizer {
        public void split(String text, boolean first, List<String> out) {
            String s = text.replace(" ", replacement);
            boolean prepend = switch (prependScheme) {
                case "always" -> true;
                case "first" -> first;
                default -> false;
            };
            if (prepend && !s.startsWith(replacement)) {
                s = replacement + s;
            }
            if (!splitWords) {
                out.add(s);
                return;
            }
            int begin = 0;
            int at = s.indexOf(replacement, 1);
            while (at > 0) {
                out.add(s.substring(begin, at));
                begin = at;
                at = s.indexOf(replacement, at + replacement.length());
            }
            if (begin < s.length()) {
                out.add(s.substring(begin));
            }
        }
    }

    record Sequence(List<PreTokenizer> steps) implements PreTokenizer {
        public Sequence {
            steps = List.copyOf(steps);
        }

        public void split(String text, boolean first, List<String> out) {
            List<String> words = List.of(text);
            for (PreTokenizer step : steps) {
                List<String> next = new ArrayList<>();
                for (String w : words) {
                    step.split(w, first, next);
                }
                words = next;
            }
            out.addAll(words);
        }
    }
}
