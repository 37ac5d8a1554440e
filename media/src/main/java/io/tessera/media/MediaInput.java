package io.tessera.media;

import io.tessera.media.ContentDetector.MediaKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

/**
 * One media item of a prompt, classified by its content: an image, an audio clip or a video.
 * Nothing is decoded here; decoders take the variant they understand.
 */
public sealed interface MediaInput {
    /** Bytes looked at for detection. */
    int DETECT_BYTES = 64 * 1024;

    MediaSource source();

    /** MIME type detected from the content. */
    String mimeType();

    default String name() {
        return source().name();
    }

    record Image(MediaSource source, String mimeType) implements MediaInput {}

    record Audio(MediaSource source, String mimeType) implements MediaInput {}

    record Video(MediaSource source, String mimeType) implements MediaInput {}

    static MediaInput of(Path path) {
        return classify(MediaSource.of(path));
    }

    static MediaInput of(String name, byte[] bytes) {
        return classify(MediaSource.of(name, bytes));
    }

    /**
     * A {@code data:[<mediatype>][;base64],<data>} URL. The declared media type is ignored: content
     * decides, as for files.
     */
    static MediaInput ofDataUrl(String url) {
        String label = url.length() > 40 ? url.substring(0, 40) + "..." : url;
        if (!url.regionMatches(true, 0, "data:", 0, 5)) {
            throw new MediaFormatException(label, "not a data URL (expected data:[type][;base64],...)");
        }
        int comma = url.indexOf(',');
        if (comma < 0) {
            throw new MediaFormatException(label, "data URL has no ',' before its data");
        }
        String header = url.substring(5, comma);
        String data = url.substring(comma + 1);
        String declared = header.split(";", 2)[0];
        String name = "data URL" + (declared.isEmpty() ? "" : " (" + declared + ")");
        byte[] bytes;
        if (header.endsWith(";base64")) {
            try {
                bytes = Base64.getDecoder().decode(data.replaceAll("\\s+", ""));
            } catch (IllegalArgumentException e) {
                throw new MediaFormatException(name, "invalid base64 data: " + e.getMessage());
            }
        } else {
            bytes = java.net.URLDecoder.decode(data.replace("+", "%2B"), StandardCharsets.ISO_8859_1)
                    .getBytes(StandardCharsets.ISO_8859_1);
        }
        return classify(MediaSource.of(name, bytes));
    }

    /** Detects the content type of {@code source} and wraps it as the matching variant. */
    static MediaInput classify(MediaSource source) {
        if (source.size() == 0) {
            throw new MediaFormatException(source.name(), "empty file (0 bytes)");
        }
        String type = ContentDetector.detect(fileName(source.name()), source.head(DETECT_BYTES));
        MediaKind kind = ContentDetector.kindOf(type);
        if (kind == null) {
            throw new MediaFormatException(source.name(),
                    "not an image/audio/video file: " + source.name() + " (detected " + type + ")");
        }
        return switch (kind) {
            case IMAGE -> new Image(source, type);
            case AUDIO -> new Audio(source, type);
            case VIDEO -> new Video(source, type);
        };
    }

    private static String fileName(String name) {
        int slash = name.lastIndexOf('/');
        return slash >= 0 ? name.substring(slash + 1) : name;
    }
}
