package io.tessera.pipeline.gguf;

/**
 * A GGUF file is malformed, hostile, truncated, or uses something this reader does not support.
 * The message names the file and the byte offset where the problem is.
 */
public final class GgufFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final long offset;

    public GgufFormatException(String file, long offset, String problem) {
        super(file + ": at byte " + offset + ": " + problem);
        this.file = file;
        this.offset = offset;
    }

    public GgufFormatException(String file, long offset, String problem, Throwable cause) {
        super(file + ": at byte " + offset + ": " + problem, cause);
        this.file = file;
        this.offset = offset;
    }

    public String file() {
        return file;
    }

    /** Byte offset in the file where the problem was found. */
    public long offset() {
        return offset;
    }
}
