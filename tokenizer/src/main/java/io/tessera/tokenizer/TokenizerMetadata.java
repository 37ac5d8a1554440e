package io.tessera.tokenizer;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Typed key/value metadata of a model file, as much as the vocabulary loader needs. GGUF's reader
 * implements it; the tokenizer knows nothing of the file format. Each accessor returns empty when
 * the key is absent and throws when the key is present with an incompatible type.
 */
public interface TokenizerMetadata {
    /** The file name or other description used in error messages. */
    String source();

    Optional<String> string(String key);

    Optional<String[]> stringArray(String key);

    Optional<float[]> floatArray(String key);

    Optional<int[]> intArray(String key);

    OptionalLong integer(String key);

    Optional<Boolean> bool(String key);
}
