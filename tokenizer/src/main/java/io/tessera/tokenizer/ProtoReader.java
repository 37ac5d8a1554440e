package io.tessera.tokenizer;

import java.nio.charset.StandardCharsets;

/** Minimal reader of the protobuf wire format, bounds-checked, over a byte range. */
final class ProtoReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final String source;
    private final byte[] data;
    private int pos;
    private final int end;

    ProtoReader(String source, byte[] data, int from, int to) {
        this.source = source;
        this.data = data;
        this.pos = from;
        this.end = to;
    }

    boolean hasMore() {
        return pos < end;
    }

    int position() {
        return pos;
    }

    /** Reads a field key: {@code (fieldNumber << 3) | wireType}. */
    int key() {
        long k = varint();
        if (k <= 0 || k > Integer.MAX_VALUE) {
            throw error("invalid field key " + k);
        }
        return (int) k;
    }

    long varint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw error("truncated varint");
            }
            byte b = data[pos++];
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw error("varint longer than 10 bytes");
    }

    int fixed32() {
        if (end - pos < 4) {
            throw error("truncated fixed32");
        }
        int v = (data[pos] & 0xFF) | (data[pos + 1] & 0xFF) << 8 | (data[pos + 2] & 0xFF) << 16 | (data[pos + 3] & 0xFF) << 24;
        pos += 4;
        return v;
    }

    /** Reads a length-delimited field and returns a reader over its bytes. */
    ProtoReader message() {
        int len = length();
        ProtoReader r = new ProtoReader(source, data, pos, pos + len);
        pos += len;
        return r;
    }

    String string() {
        int len = length();
        String s = new String(data, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    private int length() {
        long len = varint();
        if (len < 0 || len > end - pos) {
            throw error("length " + len + " runs past the end of its message");
        }
        return (int) len;
    }

    void skip(int wireType) {
        switch (wireType) {
            case VARINT -> varint();
            case FIXED64 -> {
                if (end - pos < 8) {
                    throw error("truncated fixed64");
                }
                pos += 8;
            }
            case LENGTH_DELIMITED -> {
                // Not "pos += length()": that would add the length to the position before its varint.
                int len = length();
                pos += len;
            }
            case FIXED32 -> fixed32();
            default -> throw error("unsupported wire type " + wireType);
        }
    }

    TokenizerFormatException error(String problem) {
        return new TokenizerFormatException(source, "protobuf " + problem + " at byte " + pos);
    }
}
