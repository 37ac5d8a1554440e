package io.tessera.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where media bytes come from: a file (read lazily, so FFmpeg can open large videos by path) or bytes
 * in memory. {@code name} labels errors.
 */
public final class MediaSource {
    private final String name;
    private final Path path;
    private final byte[] bytes;

    private MediaSource(String name, Path path, byte[] bytes) {
        this.name = Objects.requireNonNull(name, "name");
        this.path = path;
        this.bytes = bytes;
    }

    public static MediaSource of(Path path) {
        return new MediaSource(path.toString(), path, null);
    }

    public static MediaSource of(String name, byte[] bytes) {
        return new MediaSource(name, null, Objects.requireNonNull(bytes, "bytes"));
    }

    public String name() {
        return name;
    }

    /** The file, or {@code null} for in-memory bytes. */
    public Path path() {
        return path;
    }

    /** Size in bytes. */
    public long size() {
        if (bytes != null) {
            return bytes.length;
        }
        try {
            return Files.size(path);
        } catch (NoSuchFileException e) {
            throw new MediaFormatException(name, "no such file");
        } catch (IOException e) {
            throw new MediaFormatException(name, "cannot read: " + e.getMessage(), e);
        }
    }

    /** The first {@code n} bytes (fewer if the input is shorter). */
    public byte[] head(int n) {
        if (bytes != null) {
            return Arrays.copyOf(bytes, Math.min(n, bytes.length));
        }
        try (InputStream in = Files.newInputStream(path)) {
            return in.readNBytes(n);
        } catch (NoSuchFileException e) {
            throw new MediaFormatException(name, "no such file");
        } catch (IOException e) {
            throw new MediaFormatException(name, "cannot read: " + e.getMessage(), e);
        }
    }

    /** All bytes; refuses inputs over {@code maxBytes}. */
    public byte[] readAll(long maxBytes) {
        long size = size();
        if (size > maxBytes) {
            throw new MediaTooLargeException(name, "file is " + size + " bytes, over the limit of " + maxBytes);
        }
        if (bytes != null) {
            return bytes;
        }
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new MediaFormatException(name, "cannot read: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
