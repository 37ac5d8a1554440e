package io.tessera.pipeline.model;

/**
 * A model file that this decoder cannot run as it is: an unknown architecture, a missing tensor
 * or key, a tensor of the wrong shape or type. The message names the file and what is wrong.
 */
public final class ModelFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelFormatException(String file, String problem) {
        super(file + ": " + problem);
    }
}
