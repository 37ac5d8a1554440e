package io.tessera.tokenizer;

import java.util.HashMap;
import java.util.Map;

/**
 * Finds added tokens (control and user-defined tokens) in raw text, leftmost-longest, as Hugging
 * Face tokenizers' added-vocabulary splitter does. Control tokens take part only when special
 * tokens are parsed.
 */
final class AddedTokenMatcher {
    private static final class Node {
        final Map<Character, Node> children = new HashMap<>(4);
        int id = -1;
        boolean control;
    }

    private final Node root = new Node();
    private int count;

    void add(String text, int id, boolean control) {
        if (text.isEmpty()) {
            return;
        }
        Node node = root;
        for (int i = 0; i < text.length(); i++) {
            node = node.children.computeIfAbsent(text.charAt(i), c -> new Node());
        }
        if (node.id < 0) {
            node.id = id;
            node.control = control;
            count++;
        }
    }

    int count() {
        return count;
    }

    /**
     * The longest added token starting at {@code pos}, as {@code (length << 32) | id}, or -1.
     */
    long matchAt(String text, int pos, boolean parseSpecial) {
        Node node = root;
        long best = -1;
        for (int i = pos; i < text.length(); i++) {
            node = node.children.get(text.charAt(i));
            if (node == null) {
                break;
            }
            if (node.id >= 0 && (parseSpecial || !node.control)) {
                best = ((long) (i + 1 - pos) << 32) | node.id;
            }
        }
        return best;
    }
}
