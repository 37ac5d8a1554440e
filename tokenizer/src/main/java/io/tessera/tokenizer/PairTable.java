package io.tessera.tokenizer;

import java.util.Arrays;

/**
 * Open-addressing map from a pair of token ids to the merge it allows: the merged token id and the
 * merge priority (lower merges first). Kept in primitive arrays because a Gemma vocabulary has
 * half a million merges.
 */
final class PairTable {
    private static final long EMPTY = -1L;
    private long[] keys;
    private int[] merged;
    private float[] priority;
    private int size;

    PairTable(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        Arrays.fill(keys, EMPTY);
        merged = new int[capacity];
        priority = new float[capacity];
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private static int hash(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /** Adds a merge unless the pair already has one with a lower or equal priority. */
    void put(int left, int right, int mergedId, float mergePriority) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        long k = key(left, right);
        int mask = keys.length - 1;
        for (int i = hash(k) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == EMPTY) {
                keys[i] = k;
                merged[i] = mergedId;
                priority[i] = mergePriority;
                size++;
                return;
            }
            if (keys[i] == k) {
                if (mergePriority < priority[i]) {
                    merged[i] = mergedId;
                    priority[i] = mergePriority;
                }
                return;
            }
        }
    }

    /** The slot of the pair, or -1 when the pair does not merge. */
    int find(int left, int right) {
        long k = key(left, right);
        int mask = keys.length - 1;
        for (int i = hash(k) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == EMPTY) {
                return -1;
            }
            if (keys[i] == k) {
                return i;
            }
        }
    }

    int mergedAt(int slot) {
        return merged[slot];
    }

    float priorityAt(int slot) {
        return priority[slot];
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldMerged = merged;
        float[] oldPriority = priority;
        keys = new long[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY);
        merged = new int[keys.length];
        priority = new float[keys.length];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                put((int) (oldKeys[i] >>> 32), (int) oldKeys[i], oldMerged[i], oldPriority[i]);
            }
        }
    }
}
