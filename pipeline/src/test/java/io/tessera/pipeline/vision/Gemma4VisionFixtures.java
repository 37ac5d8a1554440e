package io.tessera.pipeline.vision;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import io.tessera.media.image.RgbImage;
import io.tessera.pipeline.gguf.GgufKeys;
import io.tessera.pipeline.gguf.GgufValue;
import io.tessera.pipeline.gguf.GgufValueType;
import io.tessera.pipeline.gguf.GgufWriter;
import io.tessera.pipeline.model.RandomGemmaFile;

/**
 * Tiny random-weight pairs for the Gemma 4 vision projectors: the Gemma 3 text GGUF of
 * {@link VisionFixtures#text} (width 64) whose vocabulary ends with the Gemma 4 image markers, a
 * {@code gemma4v} tower (2 blocks, width 64, 4 heads of 16, clipped linears, standardised) and a
 * {@code gemma4uv} embedder (48 px patches to width 64), both into width 64.
 */
final class Gemma4VisionFixtures {
    static final String[] IMAGE_MARKERS = {"<|image>", "<image|>", "<|image|>"};
    /** Positions per axis of the tables: images up to 80 patches of 16 px (1280 px) a side. */
    static final int POSITION_ROWS = 80;

    private Gemma4VisionFixtures() {
    }

    static RandomGemma4MmprojFile encoder() {
        return RandomGemma4MmprojFile.encoder(VisionFixtures.TEXT_HIDDEN, POSITION_ROWS, 41);
    }

    static RandomGemma4MmprojFile unified() {
        return RandomGemma4MmprojFile.unified(VisionFixtures.TEXT_HIDDEN, POSITION_ROWS / 3, 42);
    }

    /** Writes {@code text} with its last pieces replaced by the Gemma 4 image markers (control tokens). */
    static void writeText(RandomGemmaFile text, Path out) throws IOException {
        Path plain = Files.createTempFile(out.getParent(), "plain", ".gguf");
        text.write(plain);
        int vocab = text.vocab();
        VisionFixtures.rewrite(plain, out, meta -> {
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

    /** A seeded image of smooth colour ramps and noise, so that resampling matters. */
    static RgbImage image(int width, int height, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = (y * width + x) * 3;
                rgb[i] = (byte) (x * 255 / width + r.nextInt(-20, 21));
                rgb[i + 1] = (byte) (y * 255 / height + r.nextInt(-20, 21));
                rgb[i + 2] = (byte) r.nextInt(256);
            }
        }
        return new RgbImage(width, height, rgb);
    }
}
