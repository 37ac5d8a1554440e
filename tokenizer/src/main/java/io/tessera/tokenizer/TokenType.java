package io.tessera.tokenizer;

/**
 * Kind of a vocabulary entry. The codes are SentencePiece's {@code ModelProto.SentencePiece.Type}
 * values, which llama.cpp stores unchanged in {@code tokenizer.ggml.token_type}.
 */
public enum TokenType {
    /** Produced by the subword model from ordinary text. */
    NORMAL(1),
    /** The unknown-token placeholder. */
    UNKNOWN(2),
    /** A control token ({@code <bos>}, {@code <start_of_turn>}): matched in text only when special tokens are parsed. */
    CONTROL(3),
    /** A user-defined token: always matched as a whole in text. */
    USER_DEFINED(4),
    /** Reserved and never produced. */
    UNUSED(5),
    /** One of the 256 byte-fallback tokens {@code <0xNN>}. */
    BYTE(6);

    private final int code;

    TokenType(int code) {
        this.code = code;
    }

    /** The SentencePiece / GGUF code of this type. */
    public int code() {
        return code;
    }

    /** The type with the given SentencePiece / GGUF code, or {@code null} for an unknown code. */
    public static TokenType fromCode(int code) {
        for (TokenType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
