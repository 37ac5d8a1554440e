package io.tessera.pipeline.config;

import java.nio.file.Path;

/** A configuration file that cannot be read or holds a bad value; the message names file, line and key. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(Path file, int line, String key, String problem) {
        super(file + (line > 0 ? ":" + line : "") + (key.isEmpty() ? "" : ": key '" + key + "'") + ": " + problem);
    }
}
