package io.tessera.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes tokens one at a time, as they are generated, and returns text only for complete UTF-8
 * characters: the bytes of a character split over several byte-fallback tokens are held back
 * until the character is complete. Not thread-safe; one per generation.
 */
public final class StreamingDecoder {
    private final Tokenizer tokenizer;
    private final boolean skipControl;
    private boolean stripLeadingSpace;
    private byte[] pending = new byte[16];
    private int size;
    private boolean nothingDecoded = true;

    StreamingDecoder(Tokenizer tokenizer, boolean skipControl, boolean stripLeadingSpace) {
        this.tokenizer = tokenizer;
        this.skipControl = skipControl;
        this.stripLeadingSpace = stripLeadingSpace;
    }

    /** Adds one token and returns the text that became complete (possibly empty). */
    public String accept(int id) {
        if (skipControl && tokenizer.isControl(id)) {
            return "";
        }
        byte[] b = tokenizer.pieceBytes(id, nothingDecoded);
        nothingDecoded &= b.length == 0;
        if (size + b.length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, size + b.length));
        }
        System.arraycopy(b, 0, pending, size, b.length);
        size += b.length;
        return emit(completePrefix());
    }

    /** Returns the bytes still held back, malformed ones as U+FFFD, and resets the decoder. */
    public String finish() {
        return emit(size);
    }

    private String emit(int n) {
        if (n == 0) {
            return "";
        }
        String s = new String(pending, 0, n, StandardCharsets.UTF_8);
        System.arraycopy(pending, n, pending, 0, size - n);
        size -= n;
        if (stripLeadingSpace) {
            stripLeadingSpace = false;
            if (s.startsWith(" ")) {
                s = s.substring(1);
            }
        }
        return s;
    }

    /** Length of the longest prefix that does not end inside a possibly valid UTF-8 sequence. */
    private int completePrefix() {
        int i = 0;
        while (i < size) {
            int lead = pending[i] & 0xFF;
            int need = lead < 0x80 ? 1 : lead >= 0xC2 && lead < 0xE0 ? 2 : lead >= 0xE0 && lead < 0xF0 ? 3
                    : lead >= 0xF0 && lead < 0xF5 ? 4 : 1;
            int j = 1;
            while (j < need && i + j < size && (pending[i + j] & 0xC0) == 0x80) {
                j++;
            }
            if (j < need && i + j == size) {
                return i; // the character may still be completed by later tokens
            }
            i += j; // complete, or malformed (decoded as U+FFFD)
        }
        return i;
    }
}
