package io.tessera.pipeline.safetensors;

/**
 * A safetensors file or shard index is malformed, hostile, truncated, or uses something this
 * reader does not support. The message names the file and the problem.
 */
public final class SafetensorsFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String file;

    public SafetensorsFormatException(String file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public SafetensorsFormatException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    public String file() {
        return file;
    }
}
