package io.tessera.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Byte-pair encoding of one pre-tokenized word, SentencePiece style: the word starts as one symbol
 * per Unicode code point, the adjacent pair with the best merge is merged until none is left, and
 * symbols that are not in the vocabulary become byte-fallback tokens (or the unknown token).
 *
 * <p>Two orders of merging, one algorithm: by merge rank ({@code tokenizer.json} merges, as Hugging
 * Face tokenizers does) or by the score of the merged token (SentencePiece BPE and llama.cpp's
 * {@code llm_tokenizer_spm}). Both become a pair table with a priority per pair; ties go to the
 * leftmost pair, as in both references.
 */
final class BpeModel {
    private final Vocabulary vocab;
    private final PairTable pairs;
    private final boolean byteFallback;
    private final int unknownId;
    private final boolean fuseUnknown;

    private BpeModel(Vocabulary vocab, PairTable pairs, boolean byteFallback, int unknownId, boolean fuseUnknown) {
        this.vocab = vocab;
        this.pairs = pairs;
        this.byteFallback = byteFallback;
        this.unknownId = unknownId;
        this.fuseUnknown = fuseUnknown;
    }

    /** Merges in rank order: {@code merges.get(r)} is the pair merged with priority {@code r}. */
    static BpeModel byRank(String source, Vocabulary vocab, List<String[]> merges, boolean byteFallback,
                           int unknownId, boolean fuseUnknown) {
        PairTable table = new PairTable(merges.size());
        for (int rank = 0; rank < merges.size(); rank++) {
            String[] m = merges.get(rank);
            int left = vocab.idOrMinusOne(m[0]);
            int right = vocab.idOrMinusOne(m[1]);
            int result = vocab.idOrMinusOne(m[0] + m[1]);
            if (left < 0 || right < 0 || result < 0) {
                String merge = "merge " + rank + " (\"" + m[0] + "\" \"" + m[1] + "\") ";
                throw new TokenizerFormatException(source, merge + (left < 0 ? "names \"" + m[0] + "\""
                        : right < 0 ? "names \"" + m[1] + "\"" : "makes \"" + m[0] + m[1] + "\"")
                        + ", which is not in the vocabulary");
            }
            table.put(left, right, result, rank);
        }
        return new BpeModel(vocab, table, byteFallback, unknownId, fuseUnknown);
    }

    /**
     * Merges by score: any two adjacent symbols whose concatenation is a vocabulary token may merge,
     * the token with the highest score first.
     *
     * @param normalPiecesOnly SentencePiece's rule: only NORMAL, USER_DEFINED and UNUSED pieces can
     *                         be merge results (bpe_model.cc looks pairs up in {@code pieces_}); when
     *                         false any token can, as in llama.cpp's {@code llm_tokenizer_spm}
     */
    static BpeModel byScore(Vocabulary vocab, boolean byteFallback, int unknownId, boolean normalPiecesOnly) {
        PairTable table = new PairTable(vocab.size() * 2);
        for (int id = 0; id < vocab.size(); id++) {
            TokenType type = vocab.type(id);
            if (normalPiecesOnly && type != TokenType.NORMAL && type != TokenType.USER_DEFINED
                    && type != TokenType.UNUSED) {
                continue;
            }
            String text = vocab.token(id);
            float priority = -vocab.score(id);
            for (int cut = text.offsetByCodePoints(0, 1); cut < text.length();
                 cut = text.offsetByCodePoints(cut, 1)) {
                int left = vocab.idOrMinusOne(text.substring(0, cut));
                if (left < 0) {
                    continue;
                }
                int right = vocab.idOrMinusOne(text.substring(cut));
                if (right >= 0) {
                    table.put(left, right, vocab.idOrMinusOne(text), priority);
                }
            }
        }
        return new BpeModel(vocab, table, byteFallback, unknownId, false);
    }

    int mergeCount() {
        return pairs.size();
    }

    /** Appends the token ids of {@code word[from, to)} to {@code out}. */
    void encode(String word, int from, int to, IntList out) {
        if (from >= to) {
            return;
        }
        int n = word.codePointCount(from, to);
        int[] start = new int[n + 1];
        int[] id = new int[n];
        int[] next = new int[n];
        int[] prev = new int[n];
        int[] end = new int[n];
        int pos = from;
        for (int i = 0; i < n; i++) {
            int cp = word.codePointAt(pos);
            int len = Character.charCount(cp);
            start[i] = pos;
            end[i] = pos + len;
            id[i] = vocab.idOrMinusOne(word.substring(pos, pos + len));
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
            pos += len;
        }
        start[n] = to;

        MergeQueue queue = new MergeQueue(n);
        for (int i = 0; i + 1 < n; i++) {
            offer(queue, i, i + 1, id, end);
        }
        while (!queue.isEmpty()) {
            int left = queue.left();
            int right = queue.right();
            int leftEnd = queue.leftEnd();
            int rightEnd = queue.rightEnd();
            int mergedId = queue.merged();
            queue.pop();
            // Stale entry: one side has merged with something else since it was queued.
            if (id[left] < 0 || next[left] != right || end[left] != leftEnd || end[right] != rightEnd) {
                continue;
            }
            id[left] = mergedId;
            end[left] = end[right];
            next[left] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = left;
            }
            id[right] = -2;
            if (prev[left] >= 0) {
                offer(queue, prev[left], left, id, end);
            }
            if (next[left] >= 0) {
                offer(queue, left, next[left], id, end);
            }
        }

        boolean lastUnknown = false;
        for (int i = 0; i >= 0; i = next[i]) {
            if (id[i] >= 0) {
                out.add(id[i]);
                lastUnknown = false;
                continue;
            }
            byte[] bytes = word.substring(start[i], end[i]).getBytes(StandardCharsets.UTF_8);
            boolean allBytes = byteFallback;
            if (allBytes) {
                for (byte b : bytes) {
                    if (vocab.byteToken(b) < 0) {
                        allBytes = false;
                        break;
                    }
                }
            }
            if (allBytes) {
                for (byte b : bytes) {
                    out.add(vocab.byteToken(b));
                }
                lastUnknown = false;
            } else if (!(fuseUnknown && lastUnknown)) {
                if (unknownId < 0) {
                    throw new IllegalArgumentException("text has the character \"" + word.substring(start[i], end[i])
                            + "\", which the vocabulary cannot represent (no byte fallback, no unknown token)");
                }
                out.add(unknownId);
                lastUnknown = true;
            }
        }
    }

    private void offer(MergeQueue queue, int left, int right, int[] id, int[] end) {
        if (id[left] < 0 || id[right] < 0) {
            return;
        }
        int slot = pairs.find(id[left], id[right]);
        if (slot >= 0) {
            queue.push(pairs.priorityAt(slot), left, right, end[left], end[right], pairs.mergedAt(slot));
        }
    }

    /** Binary min-heap of candidate merges ordered by (priority, left position), in primitive arrays. */
    private static final class MergeQueue {
        private float[] priority;
        private int[] left;
        private int[] right;
        private int[] leftEnd;
        private int[] rightEnd;
        private int[] merged;
        private int size;

        MergeQueue(int capacity) {
            int c = Math.max(4, capacity);
            priority = new float[c];
            left = new int[c];
            right = new int[c];
            leftEnd = new int[c];
            rightEnd = new int[c];
            merged = new int[c];
        }

        boolean isEmpty() {
            return size == 0;
        }

        int left() {
            return left[0];
        }

        int right() {
            return right[0];
        }

        int leftEnd() {
            return leftEnd[0];
        }

        int rightEnd() {
            return rightEnd[0];
        }

        int merged() {
            return merged[0];
        }

        private boolean less(int a, int b) {
            return priority[a] < priority[b] || (priority[a] == priority[b] && left[a] < left[b]);
        }

        void push(float p, int l, int r, int le, int re, int m) {
            if (size == priority.length) {
                int c = size * 2;
                priority = Arrays.copyOf(priority, c);
                left = Arrays.copyOf(left, c);
                right = Arrays.copyOf(right, c);
                leftEnd = Arrays.copyOf(leftEnd, c);
                rightEnd = Arrays.copyOf(rightEnd, c);
                merged = Arrays.copyOf(merged, c);
            }
            int i = size++;
            set(i, p, l, r, le, re, m);
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (!less(i, parent)) {
                    break;
                }
                swap(i, parent);
                i = parent;
            }
        }

        void pop() {
            size--;
            if (size == 0) {
                return;
            }
            set(0, priority[size], left[size], right[size], leftEnd[size], rightEnd[size], merged[size]);
            int i = 0;
            while (true) {
                int a = 2 * i + 1;
                if (a >= size) {
                    break;
                }
                int b = a + 1;
                int child = b < size && less(b, a) ? b : a;
                if (!less(child, i)) {
                    break;
                }
                swap(i, child);
                i = child;
            }
        }

        private void set(int i, float p, int l, int r, int le, int re, int m) {
            priority[i] = p;
            left[i] = l;
            right[i] = r;
            leftEnd[i] = le;
            rightEnd[i] = re;
            merged[i] = m;
        }

        private void swap(int i, int j) {
            float p = priority[i];
            priority[i] = priority[j];
            priority[j] = p;
            int t = left[i];
            left[i] = left[j];
            left[j] = t;
            t = right[i];
            right[i] = right[j];
            right[j] = t;
            t = leftEnd[i];
            leftEnd[i] = leftEnd[j];
            leftEnd[j] = t;
            t = rightEnd[i];
            rightEnd[i] = rightEnd[j];
            rightEnd[j] = t;
            t = merged[i];
            merged[i] = merged[j];
            merged[j] = t;
        }
    }
}
