package io.tessera.media;

/** An input over a configured limit (pixels, duration, bytes), refused before it is decoded. */
public final class MediaTooLargeException extends MediaFormatException {
    public MediaTooLargeException(String input, String problem) {
        super(input, problem);
    }
}
