package io.tessera.pipeline.gguf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The key/value metadata of a GGUF file, in file order, with typed accessors whose errors name the
 * key, the file and the byte offset of the entry.
 */
public final class GgufMetadata {
    private final String file;
    private final Map<String, GgufValue> values;
    private final Map<String, Long> offsets;

    GgufMetadata(String file, Map<String, GgufValue> values, Map<String, Long> offsets) {
        this.file = file;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.offsets = Map.copyOf(offsets);
    }

    public String file() {
        return file;
    }

    public Set<String> keys() {
        return values.keySet();
    }

    public Map<String, GgufValue> asMap() {
        return values;
    }

    public Optional<GgufValue> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    private GgufFormatException wrongType(String key, String expected) {
        return new GgufFormatException(file, offsets.getOrDefault(key, 0L), "key " + key + " is "
                + describe(values.get(key)) + ", expected " + expected);
    }

    private static String describe(GgufValue v) {
        return v instanceof GgufValue.Array a ? "an array of " + a.elementType() : "a " + v.type();
    }

    private GgufFormatException missing(String key) {
        return new GgufFormatException(file, 0, "missing required key " + key);
    }

    public Optional<String> string(String key) {
        GgufValue v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof GgufValue.Str s) {
            return Optional.of(s.value());
        }
        throw wrongType(key, "a STRING");
    }

    public String requireString(String key) {
        return string(key).orElseThrow(() -> missing(key));
    }

    /** An integer of any width. */
    public OptionalLong integer(String key) {
        GgufValue v = values.get(key);
        if (v == null) {
            return OptionalLong.empty();
        }
        if (v instanceof GgufValue.Integer i) {
            return OptionalLong.of(i.value());
        }
        throw wrongType(key, "an integer");
    }

    public long requireInteger(String key) {
        return integer(key).orElseThrow(() -> missing(key));
    }

    /** A FLOAT32 or FLOAT64 value. */
    public Optional<Double> number(String key) {
        GgufValue v = values.get(key);
        return switch (v) {
            case null -> Optional.empty();
            case GgufValue.Float32 f -> Optional.of((double) f.value());
            case GgufValue.Float64 f -> Optional.of(f.value());
            default -> throw wrongType(key, "a FLOAT32 or FLOAT64");
        };
    }

    public Optional<Boolean> bool(String key) {
        GgufValue v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof GgufValue.Bool b) {
            return Optional.of(b.value());
        }
        throw wrongType(key, "a BOOL");
    }

    private Optional<GgufValue.Array> array(String key, String expected) {
        GgufValue v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof GgufValue.Array a) {
            return Optional.of(a);
        }
        throw wrongType(key, expected);
    }

    public Optional<String[]> stringArray(String key) {
        return array(key, "an array of STRING").map(a -> {
            if (a.elements() instanceof String[] s) {
                return s.clone();
            }
            throw wrongType(key, "an array of STRING");
        });
    }

    /** An array of FLOAT32 (FLOAT64 arrays are narrowed). */
    public Optional<float[]> floatArray(String key) {
        return array(key, "an array of FLOAT32").map(a -> switch (a.elements()) {
            case float[] f -> f.clone();
            case double[] d -> {
                float[] f = new float[d.length];
                for (int i = 0; i < d.length; i++) {
                    f[i] = (float) d[i];
                }
                yield f;
            }
            default -> throw wrongType(key, "an array of FLOAT32");
        });
    }

    /** An array of integers that all fit in an int. */
    public Optional<int[]> intArray(String key) {
        return array(key, "an array of integers").map(a -> {
            if (!(a.elements() instanceof long[] l)) {
                throw wrongType(key, "an array of integers");
            }
            int[] out = new int[l.length];
            for (int i = 0; i < l.length; i++) {
                if (l[i] < Integer.MIN_VALUE || l[i] > Integer.MAX_VALUE) {
                    throw new GgufFormatException(file, offsets.getOrDefault(key, 0L), "key " + key + " element " + i
                            + " = " + l[i] + " does not fit in 32 bits");
                }
                out[i] = (int) l[i];
            }
            return out;
        });
    }
}
