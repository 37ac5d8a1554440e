package io.tessera.media;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.apache.tika.Tika;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;

/**
 * Detects a media type from the bytes themselves (magic numbers, container boxes), with the name only
 * as a hint for types whose content alone is ambiguous. A {@code .jpg} holding a PNG is a PNG.
 */
public final class ContentDetector {
    /** Bytes Tika looks at; enough for every container header we accept. */
    private static final int PREFIX_BYTES = 64 * 1024;
    private static final Tika TIKA = new Tika();

    private ContentDetector() {}

    /** The detected MIME type, e.g. {@code image/png}, {@code video/quicktime}, {@code audio/vnd.wave}. */
    public static String detect(String name, byte[] content) {
        int n = Math.min(content.length, PREFIX_BYTES);
        try (var in = new ByteArrayInputStream(content, 0, n)) {
            Metadata metadata = new Metadata();
            if (name != null) {
                metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, name);
            }
            MediaType byContent = TIKA.getDetector().detect(in, new Metadata());
            if (!byContent.equals(MediaType.OCTET_STREAM) && !byContent.equals(MediaType.TEXT_PLAIN)) {
                return byContent.getBaseType().toString();
            }
            in.reset();
            // Raw streams without a magic number (e.g. ADTS AAC) are recognised by name only.
            MediaType byName = TIKA.getDetector().detect(in, metadata);
            if (byContent.equals(MediaType.TEXT_PLAIN) && !isMedia(byName.getBaseType().toString())) {
                return byContent.getBaseType().toString();
            }
            return byName.getBaseType().toString();
        } catch (IOException e) {
            throw new MediaFormatException(name, "cannot detect the content type: " + e.getMessage(), e);
        }
    }

    /** The kind of media a MIME type holds, or {@code null} when it is not image, audio or video. */
    public static MediaKind kindOf(String mimeType) {
        if (mimeType.startsWith("image/")) {
            return MediaKind.IMAGE;
        }
        if (mimeType.startsWith("audio/")) {
            return MediaKind.AUDIO;
        }
        if (mimeType.startsWith("video/")) {
            return MediaKind.VIDEO;
        }
        return switch (mimeType) {
            // Containers Tika names as applications but that hold audio or video.
            case "application/ogg" -> MediaKind.AUDIO;
            case "application/mp4" -> MediaKind.VIDEO;
            case "application/x-matroska" -> MediaKind.VIDEO;
            default -> null;
        };
    }

    private static boolean isMedia(String mimeType) {
        return kindOf(mimeType) != null;
    }

    /** Image, audio or video. */
    public enum MediaKind { IMAGE, AUDIO, VIDEO }
}
