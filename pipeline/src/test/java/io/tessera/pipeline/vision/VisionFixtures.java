package io.tessera.pipeline.vision;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.tessera.media.FloatTensor;
import io.tessera.media.image.ImagePreprocessor;
import io.tessera.media.image.RgbImage;
import io.tessera.pipeline.gguf.GgufFile;
import io.tessera.pipeline.gguf.GgufKeys;
import io.tessera.pipeline.gguf.GgufTensorInfo;
import io.tessera.pipeline.gguf.GgufValue;
import io.tessera.pipeline.gguf.GgufValueType;
import io.tessera.pipeline.gguf.GgufWriter;
import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.model.Architecture;
import io.tessera.pipeline.model.RandomGemmaFile;

/**
 * Tiny random-weight model pairs: a Gemma 3 text GGUF whose vocabulary has the image markers, and
 * a {@code gemma3} mmproj (SigLIP of 2 blocks, width 64, 224 px in patches of 14: 16 x 16 patches,
 * pooled by 4 to 16 soft tokens of width 64).
 */
final class VisionFixtures {
    static final int TEXT_HIDDEN = 64;
    static final String[] IMAGE_MARKERS = {"<start_of_image>", "<end_of_image>", "<image_soft_token>"};

    private VisionFixtures() {
    }

    static RandomMmprojFile mmproj(GgufTensorType type) {
        return new RandomMmprojFile(224, 14, 64, 128, 2, 4, TEXT_HIDDEN, 4, type, 21);
    }

    /** 6 layers (5 local with a window of 64, 1 global), GQA 4/2 x 16, vocabulary of 320. */
    static RandomGemmaFile text(GgufTensorType type) {
        return new RandomGemmaFile(Architecture.GEMMA3, 6, TEXT_HIDDEN, 128, 4, 2, 16, 320, 64, 512, type, type,
                1_000_000f, 1f, 0f, 0f, 22);
    }

    /** Writes {@code text} with its last three pieces replaced by the Gemma 3 image markers (control tokens). */
    static void writeTextWithImageTokens(RandomGemmaFile text, Path out) throws IOException {
        Path plain = Files.createTempFile(out.getParent(), "plain", ".gguf");
        text.write(plain);
        int vocab = text.vocab();
        rewrite(plain, out, meta -> {
            String[] tokens = text.tokens();
            long[] types = new long[vocab];
            GgufValue.Array t = (GgufValue.Array) meta.get(GgufKeys.TOKENIZER_TOKEN_TYPE);
            System.arraycopy((long[]) t.elements(), 0, types, 0, vocab);
            for (int i = 0; i < IMAGE_MARKERS.length; i++) {
                tokens[vocab - IMAGE_MARKERS.length + i] = IMAGE_MARKERS[i];
                types[vocab - IMAGE_MARKERS.length + i] = 3;
            }
            GgufWriter w = new GgufWriter();
            w.putStrings(GgufKeys.TOKENIZER_TOKENS, tokens);
            w.putInts(GgufKeys.TOKENIZER_TOKEN_TYPE, GgufValueType.INT32, types);
            meta.putAll(w.metadata());
        }, name -> true);
        Files.delete(plain);
    }

    /** Copies a GGUF file, letting {@code edit} change its metadata and keeping the tensors {@code keep} accepts. */
    static void rewrite(Path in, Path out, Consumer<Map<String, GgufValue>> edit, Predicate<String> keep)
            throws IOException {
        try (GgufFile f = GgufFile.open(in)) {
            Map<String, GgufValue> meta = new LinkedHashMap<>(f.metadata().asMap());
            edit.accept(meta);
            GgufWriter w = new GgufWriter();
            meta.forEach(w::put);
            for (GgufTensorInfo t : f.tensors()) {
                if (keep.test(t.name())) {
                    w.addTensor(t.name(), t.type(), t.dims(), f.data(t));
                }
            }
            w.write(out);
        }
    }

    /** A seeded image of random pixels. */
    static RgbImage image(int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] rgb = new byte[size * size * 3];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) r.nextInt(256);
        }
        return new RgbImage(size, size, rgb);
    }

    /** The encoder input for an image already at the model's size. */
    static FloatTensor pixels(VisionConfig c, RgbImage image) {
        return ImagePreprocessor.normalize(image, VisionPreprocessing.of(c));
    }

    /** The device of {@code selector}; skips the test when this machine has none. */
    static io.tessera.tasks.api.Device device(String selector) {
        try {
            return io.tessera.tasks.api.Device.select(selector);
        } catch (RuntimeException e) {
            org.junit.jupiter.api.Assumptions.abort(selector + " is not available here: " + e.getMessage());
            throw e;
        }
    }

    static double nmse(float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            throw new AssertionError("lengths differ: " + expected.length + " vs " + actual.length);
        }
        double err = 0;
        double ref = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = (double) expected[i] - actual[i];
            err += d * d;
            ref += (double) expected[i] * expected[i];
        }
        return err / ref;
    }
}
