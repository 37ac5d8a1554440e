package io.tessera.pipeline.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Reads the YAML files of {@code conf/} into their records. */
public final class ConfigLoader {
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .propertyNamingStrategy(PropertyNamingStrategies.LOWER_CAMEL_CASE)
            .build();

    private ConfigLoader() {
    }

    /** {@code conf/backends.yaml} of the installation, or the defaults when the file is absent. */
    public static BackendsConfig backends(Path confDir) {
        Path file = confDir.resolve("backends.yaml");
        return Files.exists(file) ? read(file, BackendsConfig.class) : BackendsConfig.defaults();
    }

    static <T> T read(Path file, Class<T> type) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file, 0, "", "cannot read: " + e.getMessage());
        }
        try {
            T value = YAML.readValue(text, type);
            if (value == null) {
                throw new ConfigException(file, 0, "", "the file is empty");
            }
            return value;
        } catch (JacksonException e) {
            List<String> names = e.getPath().stream()
                    .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                    .toList();
            String key = String.join(".", names).replace(".[", "[");
            TokenStreamLocation at = e.getLocation();
            int line = at != null && at.getLineNr() > 0 ? at.getLineNr() : lineOfKey(text, names);
            throw new ConfigException(file, line, key, problem(e));
        }
    }

    /**
     * The line of a nested mapping key, found by indentation. Jackson knows no location for
     * properties of records, which it buffers before it builds them.
     */
    static int lineOfKey(String text, List<String> path) {
        String[] lines = text.split("\n", -1);
        int depth = 0;
        int indent = -1;
        int found = 0;
        for (int i = 0; i < lines.length && depth < path.size(); i++) {
            String l = lines[i];
            String t = l.stripLeading();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            int ind = l.length() - t.length();
            if (ind <= indent) {
                break;
            }
            String name = path.get(depth);
            if (name.startsWith("[")) {
                break;
            }
            if (t.startsWith(name + ":")) {
                found = i + 1;
                indent = ind;
                depth++;
            }
        }
        return found;
    }

    /** The cause a person can act on: the validation message of a record, or Jackson's first line. */
    private static String problem(JacksonException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof IllegalArgumentException) {
            return root.getMessage();
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown key; known keys here: " + u.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", "));
        }
        String m = e.getOriginalMessage();
        int cut = m.indexOf('\n');
        return cut < 0 ? m : m.substring(0, cut);
    }
}
