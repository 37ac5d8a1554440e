package io.tessera.pipeline.gguf;

import io.tessera.tokenizer.TokenizerMetadata;
import java.util.Optional;
import java.util.OptionalLong;

/** A GGUF file's metadata as the tokenizer's view of it. */
public record GgufTokenizerMetadata(GgufMetadata metadata) implements TokenizerMetadata {
    @Override
    public String source() {
        return metadata.file();
    }

    @Override
    public Optional<String> string(String key) {
        return metadata.string(key);
    }

    @Override
    public Optional<String[]> stringArray(String key) {
        return metadata.stringArray(key);
    }

    @Override
    public Optional<float[]> floatArray(String key) {
        return metadata.floatArray(key);
    }

    @Override
    public Optional<int[]> intArray(String key) {
        return metadata.intArray(key);
    }

    @Override
    public OptionalLong integer(String key) {
        return metadata.integer(key);
    }

    @Override
    public Optional<Boolean> bool(String key) {
        return metadata.bool(key);
    }
}
