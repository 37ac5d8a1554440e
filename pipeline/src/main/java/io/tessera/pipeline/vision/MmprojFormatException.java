package io.tessera.pipeline.vision;

/**
 * An {@code mmproj} file that the vision encoder cannot run as it is: not a clip file, an
 * unsupported projector type, a missing key or tensor, a tensor of the wrong shape or type, or
 * dimensions that disagree with the text model. The message names the file and what is wrong.
 */
public final class MmprojFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MmprojFormatException(String file, String problem) {
        super(file + ": " + problem);
    }
}
