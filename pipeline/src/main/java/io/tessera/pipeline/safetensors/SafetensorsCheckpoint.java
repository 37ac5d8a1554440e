package io.tessera.pipeline.safetensors;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The weights of a Hugging Face model directory: one {@code model.safetensors}, or shards listed
 * by {@code model.safetensors.index.json} ({@code weight_map}: tensor name to shard file name, as
 * {@code save_pretrained} writes it). Each shard is memory-mapped once. Shard names must be plain
 * file names inside the directory; every tensor the index names must be in its shard, and a
 * tensor in a shard the index does not name for it is ignored, as transformers does.
 */
public final class SafetensorsCheckpoint implements AutoCloseable {
    public static final String SINGLE = "model.safetensors";
    public static final String INDEX = "model.safetensors.index.json";

    private final Path directory;
    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> byTensor;

    private SafetensorsCheckpoint(Path directory, List<SafetensorsFile> files, Map<String, SafetensorsFile> byTensor) {
        this.directory = directory;
        this.files = List.copyOf(files);
        this.byTensor = byTensor;
    }

    /** Opens the weights of {@code directory}: the shard index if there is one, else {@code model.safetensors}. */
    public static SafetensorsCheckpoint open(Path directory) {
        Path index = directory.resolve(INDEX);
        if (Files.isRegularFile(index)) {
            return openSharded(directory, index);
        }
        Path single = directory.resolve(SINGLE);
        if (!Files.isRegularFile(single)) {
            throw new SafetensorsFormatException(directory.toString(), "no " + SINGLE + " or " + INDEX
                    + " in the directory");
        }
        SafetensorsFile f = SafetensorsFile.open(single);
        Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
        f.tensors().forEach(t -> byTensor.put(t.name(), f));
        return new SafetensorsCheckpoint(directory, List.of(f), byTensor);
    }

    private static SafetensorsCheckpoint openSharded(Path directory, Path index) {
        String name = index.toString();
        JsonNode root;
        try (InputStream in = Files.newInputStream(index)) {
            if (Files.size(index) > SafetensorsFile.MAX_HEADER_BYTES) {
                throw new SafetensorsFormatException(name, "the index is larger than "
                        + SafetensorsFile.MAX_HEADER_BYTES + " bytes");
            }
            root = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build().readTree(in);
        } catch (JacksonException e) {
            String problem = String.valueOf(e.getOriginalMessage()).replaceAll("\\s*\\R\\s*", " ").strip();
            throw new SafetensorsFormatException(name, "not valid JSON: " + problem, e);
        } catch (IOException e) {
            throw new SafetensorsFormatException(name, "cannot read: " + e.getMessage(), e);
        }
        JsonNode map = root == null ? null : root.path("weight_map");
        if (map == null || !map.isObject()) {
            throw new SafetensorsFormatException(name, "has no weight_map object");
        }
        Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
        Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, JsonNode> e : map.properties()) {
                if (!e.getValue().isString()) {
                    throw new SafetensorsFormatException(name, "weight_map." + e.getKey() + " is not a file name");
                }
                String shard = e.getValue().stringValue();
                if (shard.isEmpty() || shard.contains("/") || shard.contains("\\") || shard.equals(".")
                        || shard.equals("..")) {
                    throw new SafetensorsFormatException(name, "weight_map." + e.getKey() + " names '" + shard
                            + "', not a file of the directory");
                }
                SafetensorsFile f = shards.get(shard);
                if (f == null) {
                    Path p = directory.resolve(shard);
                    if (!Files.isRegularFile(p)) {
                        throw new SafetensorsFormatException(name, "shard " + shard + " (of tensor " + e.getKey()
                                + ") is not in the directory");
                    }
                    f = SafetensorsFile.open(p);
                    shards.put(shard, f);
                }
                if (f.tensor(e.getKey()).isEmpty()) {
                    throw new SafetensorsFormatException(f.path().toString(), "has no tensor " + e.getKey()
                            + ", which " + INDEX + " places there");
                }
                byTensor.put(e.getKey(), f);
            }
        } catch (RuntimeException e) {
            shards.values().forEach(SafetensorsFile::close);
            throw e;
        }
        if (byTensor.isEmpty()) {
            throw new SafetensorsFormatException(name, "weight_map is empty");
        }
        return new SafetensorsCheckpoint(directory, new ArrayList<>(shards.values()), byTensor);
    }

    public Path directory() {
        return directory;
    }

    /** The mapped files, shards in index order. */
    public List<SafetensorsFile> files() {
        return files;
    }

    /** Every tensor name, in index (or header) order. */
    public List<String> names() {
        return List.copyOf(byTensor.keySet());
    }

    public Optional<SafetensorsTensor> tensor(String name) {
        SafetensorsFile f = byTensor.get(name);
        return f == null ? Optional.empty() : f.tensor(name);
    }

    /** The tensor's bytes, a view of its shard's mapping. */
    public MemorySegment data(SafetensorsTensor t) {
        SafetensorsFile f = byTensor.get(t.name());
        if (f == null) {
            throw new IllegalArgumentException("tensor " + t.name() + " is not in " + directory);
        }
        return f.data(t);
    }

    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }
}
