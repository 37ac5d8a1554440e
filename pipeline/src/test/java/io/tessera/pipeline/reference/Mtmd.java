package io.tessera.pipeline.reference;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;

/**
 * llama.cpp's multimodal library (tools/mtmd) as an independent reference: the node addon of the
 * npm package {@code @fugood/node-llama-linux-x64}, which exports the mtmd_* and llama_* C symbols,
 * reached through the FFM API and the thin C layer {@code ci/reference/mtmd_ref.c} (built by
 * {@code ci/reference/build-mtmd-ref}). Tests call {@link #require()}; it skips the test, with
 * the reason, where npm, gcc or the registry is unavailable.
 */
@SuppressWarnings("restricted") // FFM downcalls into llama.cpp's multimodal library are the point of this class
public final class Mtmd {
    private static final Linker LINKER = Linker.nativeLinker();
    private static Mtmd instance;
    private static String unavailable;

    private final MethodHandle open;
    private final MethodHandle openTokens;
    private final MethodHandle close;
    private final MethodHandle marker;
    private final MethodHandle tokenize;
    private final MethodHandle chunk;
    private final MethodHandle chunkTokens;
    private final MethodHandle encode;
    private final MethodHandle generate;
    private final MethodHandle tokenizeMedia;
    private final MethodHandle caps;
    private final MethodHandle nonCausal;
    private final MethodHandle encodeMedia;

    private Mtmd(Path libDir) {
        SymbolLookup lib = SymbolLookup.libraryLookup(libDir.resolve("libmtmd_ref.so"), Arena.global());
        open = handle(lib, "mref_open", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT));
        openTokens = handle(lib, "mref_open_tokens", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_INT));
        close = handle(lib, "mref_close", FunctionDescriptor.ofVoid(ADDRESS));
        marker = handle(lib, "mref_marker", FunctionDescriptor.of(ADDRESS));
        tokenize = handle(lib, "mref_tokenize",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT));
        chunk = handle(lib, "mref_chunk", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        chunkTokens = handle(lib, "mref_chunk_tokens",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
        encode = handle(lib, "mref_encode", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG));
        generate = handle(lib, "mref_generate", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
        tokenizeMedia = handle(lib, "mref_tokenize_media", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS,
                ADDRESS, ADDRESS, ADDRESS, JAVA_INT));
        caps = handle(lib, "mref_caps", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        nonCausal = handle(lib, "mref_chunk_non_causal", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        encodeMedia = handle(lib, "mref_encode_media",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG));
        MethodHandle layout = handle(lib, "mref_check_layout", FunctionDescriptor.of(JAVA_INT));
        try {
            int rc = (int) layout.invokeExact();
            if (rc != 0) {
                throw new IllegalStateException("mtmd_context_params of this build differs from mtmd_ref.c at byte "
                        + (rc - 1));
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The reference, built on first use; skips the calling test when it cannot be had here. */
    public static synchronized Mtmd require() {
        if (instance == null && unavailable == null) {
            try {
                instance = new Mtmd(build());
            } catch (Exception e) {
                unavailable = "llama.cpp mtmd reference unavailable: " + e.getMessage();
            }
        }
        Assumptions.assumeTrue(instance != null, unavailable);
        return instance;
    }

    private static Path build() throws IOException, InterruptedException {
        Path repo = Path.of(System.getProperty("tessera.repo", ".."));
        Process p = new ProcessBuilder(repo.resolve("ci/reference/build-mtmd-ref").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IOException("ci/reference/build-mtmd-ref failed: " + out);
        }
        Path dir = Path.of(out.lines().reduce((a, b) -> b).orElse(""));
        if (!Files.isRegularFile(dir.resolve("libmtmd_ref.so"))) {
            throw new IOException("ci/reference/build-mtmd-ref printed no library directory: " + out);
        }
        return dir;
    }

    private static MethodHandle handle(SymbolLookup lib, String name, FunctionDescriptor d) {
        return LINKER.downcallHandle(lib.find(name).orElseThrow(
                () -> new IllegalStateException("symbol " + name + " missing in libmtmd_ref.so")), d);
    }

    /** The text that stands for one image in a prompt ({@code <__media__>}). */
    public String marker() {
        try {
            return ((MemorySegment) marker.invokeExact()).reinterpret(64).getString(0);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Loads a text model and its mmproj with mtmd's image token bounds ({@code image_min_tokens},
     * {@code image_max_tokens}; -1 keeps the projector's own).
     */
    public Session open(Path model, Path mmproj, int contextLength, int imageMinTokens, int imageMaxTokens) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = (MemorySegment) openTokens.invokeExact(a.allocateFrom(model.toString()),
                    a.allocateFrom(mmproj.toString()), contextLength, Math.max(1, Math.min(2,
                            Runtime.getRuntime().availableProcessors())), imageMinTokens, imageMaxTokens);
            if (s.equals(MemorySegment.NULL)) {
                throw new IllegalArgumentException("llama.cpp mtmd could not load " + model + " with " + mmproj);
            }
            return new Session(s);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Loads a text model and its mmproj. */
    public Session open(Path model, Path mmproj, int contextLength) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = (MemorySegment) open.invokeExact(a.allocateFrom(model.toString()),
                    a.allocateFrom(mmproj.toString()), contextLength, Math.max(1, Math.min(2,
                            Runtime.getRuntime().availableProcessors())));
            if (s.equals(MemorySegment.NULL)) {
                throw new IllegalArgumentException("llama.cpp mtmd could not load " + model + " with " + mmproj);
            }
            return new Session(s);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * A chunk of a tokenized prompt: text tokens, or an image or audio clip of {@code tokens}
     * positions. {@code image} is true for image chunks only, {@code audio} for audio chunks only.
     */
    public record Chunk(boolean image, int tokens, int[] text, boolean audio) {
        /** True for an image or audio chunk. */
        public boolean media() {
            return image || audio;
        }
    }

    /** One medium for {@link Session#tokenize(String, List)}: an RGB image or mono float PCM. */
    public sealed interface Media {
    }

    /** Packed RGB pixels, row-major, {@code width × height × 3} bytes. */
    public record Image(byte[] rgb, int width, int height) implements Media {
    }

    /** Mono float samples at {@link Session#audioSampleRate()}. */
    public record Audio(float[] pcm) implements Media {
    }

    /**
     * The samples of a 16-bit PCM WAV file as mtmd's miniaudio decoder gives them for s16 input
     * ({@code s / 32768}), channels averaged; this reader is independent of the media module.
     */
    public static float[] readPcm16Wav(Path wav) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Files.readAllBytes(wav)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
            throw new IOException(wav + " is not a RIFF/WAVE file");
        }
        int channels = 0;
        int at = 12;
        while (at + 8 <= b.limit()) {
            int id = b.getInt(at);
            int size = b.getInt(at + 4);
            if (id == 0x20746d66) { // "fmt "
                if (b.getShort(at + 8) != 1 || b.getShort(at + 22) != 16) {
                    throw new IOException(wav + " is not 16-bit integer PCM");
                }
                channels = b.getShort(at + 10);
            } else if (id == 0x61746164) { // "data"
                if (channels == 0) {
                    throw new IOException(wav + " has its data before its format chunk");
                }
                int frames = size / (2 * channels);
                float[] out = new float[frames];
                for (int i = 0; i < frames; i++) {
                    float sum = 0;
                    for (int c = 0; c < channels; c++) {
                        sum += b.getShort(at + 8 + 2 * (i * channels + c)) / 32768f;
                    }
                    out[i] = sum / channels;
                }
                return out;
            }
            at += 8 + size + (size & 1);
        }
        throw new IOException(wav + " has no data chunk");
    }

    /** A text model with its mmproj, and the chunks of the last prompt. */
    public final class Session implements AutoCloseable {
        private final MemorySegment handle;
        private int chunks;

        private Session(MemorySegment handle) {
            this.handle = handle;
        }

        /** Splits {@code prompt} (with {@link #marker()} per image) into chunks; images are RGB, row-major. */
        public List<Chunk> tokenize(String prompt, List<byte[]> rgb, List<int[]> sizes) {
            try (Arena a = Arena.ofConfined()) {
                int total = rgb.stream().mapToInt(b -> b.length).sum();
                MemorySegment pixels = a.allocate(Math.max(1, total));
                int at = 0;
                for (byte[] b : rgb) {
                    MemorySegment.copy(b, 0, pixels, java.lang.foreign.ValueLayout.JAVA_BYTE, at, b.length);
                    at += b.length;
                }
                MemorySegment dims = a.allocate(JAVA_INT, Math.max(1, 2L * sizes.size()));
                for (int i = 0; i < sizes.size(); i++) {
                    dims.setAtIndex(JAVA_INT, 2L * i, sizes.get(i)[0]);
                    dims.setAtIndex(JAVA_INT, 2L * i + 1, sizes.get(i)[1]);
                }
                int n = (int) tokenize.invokeExact(handle, a.allocateFrom(prompt), pixels, dims, rgb.size());
                if (n < 0) {
                    throw new IllegalStateException("mtmd_tokenize failed with status " + (-n - 1));
                }
                chunks = n;
                return readChunks(a, n);
            } catch (RuntimeException e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        /** The {@code n} chunks of the last tokenize call: kind, token count and, for text, the ids. */
        private List<Chunk> readChunks(Arena a, int n) throws Throwable {
            List<Chunk> out = new ArrayList<>();
            MemorySegment count = a.allocate(JAVA_INT);
            for (int i = 0; i < n; i++) {
                int type = (int) chunk.invokeExact(handle, i, count);
                int tokens = count.get(JAVA_INT, 0);
                int[] text = new int[0];
                if (type == 0) {
                    MemorySegment ids = a.allocate(JAVA_INT, Math.max(1, tokens));
                    int got = (int) chunkTokens.invokeExact(handle, i, ids, tokens);
                    text = ids.asSlice(0, 4L * got).toArray(JAVA_INT);
                }
                out.add(new Chunk(type == 1, tokens, text, type == 2));
            }
            return out;
        }

        /**
         * Splits {@code prompt} (with {@link #marker()} per medium) into chunks, the media in the
         * order of the markers: images and audio clips mixed.
         */
        public List<Chunk> tokenize(String prompt, List<? extends Media> media) {
            try (Arena a = Arena.ofConfined()) {
                long pixels = 0;
                long samples = 0;
                for (Media m : media) {
                    switch (m) {
                        case Image i -> pixels += i.rgb().length;
                        case Audio au -> samples += au.pcm().length;
                    }
                }
                MemorySegment rgb = a.allocate(Math.max(1, pixels));
                MemorySegment pcm = a.allocate(JAVA_FLOAT, Math.max(1, samples));
                MemorySegment kinds = a.allocate(JAVA_INT, Math.max(1, media.size()));
                MemorySegment dims = a.allocate(JAVA_INT, Math.max(1, 2L * media.size()));
                long atRgb = 0;
                long atPcm = 0;
                for (int k = 0; k < media.size(); k++) {
                    switch (media.get(k)) {
                        case Image i -> {
                            MemorySegment.copy(i.rgb(), 0, rgb, java.lang.foreign.ValueLayout.JAVA_BYTE, atRgb,
                                    i.rgb().length);
                            atRgb += i.rgb().length;
                            kinds.setAtIndex(JAVA_INT, k, 0);
                            dims.setAtIndex(JAVA_INT, 2L * k, i.width());
                            dims.setAtIndex(JAVA_INT, 2L * k + 1, i.height());
                        }
                        case Audio au -> {
                            MemorySegment.copy(au.pcm(), 0, pcm, JAVA_FLOAT, atPcm * 4, au.pcm().length);
                            atPcm += au.pcm().length;
                            kinds.setAtIndex(JAVA_INT, k, 1);
                            dims.setAtIndex(JAVA_INT, 2L * k, au.pcm().length);
                            dims.setAtIndex(JAVA_INT, 2L * k + 1, 1);
                        }
                    }
                }
                int n = (int) tokenizeMedia.invokeExact(handle, a.allocateFrom(prompt), kinds, rgb, pcm, dims,
                        media.size());
                if (n < 0) {
                    throw new IllegalStateException("mtmd_tokenize failed with status " + (-n - 1));
                }
                chunks = n;
                return readChunks(a, n);
            } catch (RuntimeException e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        /** Whether the loaded mmproj has a vision part. */
        public boolean supportsVision() {
            return (caps() & 1) != 0;
        }

        /** Whether the loaded mmproj has an audio part. */
        public boolean supportsAudio() {
            return (caps() & 2) != 0;
        }

        /** The sample rate mtmd expects audio at (0 without an audio part). */
        public int audioSampleRate() {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment rate = a.allocate(JAVA_INT);
                int ignored = (int) caps.invokeExact(handle, rate);
                return rate.get(JAVA_INT, 0);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        private int caps() {
            try (Arena a = Arena.ofConfined()) {
                return (int) caps.invokeExact(handle, a.allocate(JAVA_INT));
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        /** Whether mtmd decodes chunk {@code i} of the last prompt with non-causal attention. */
        public boolean nonCausal(int i) {
            try {
                return (int) nonCausal.invokeExact(handle, i) != 0;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        /** The embeddings of image or audio chunk {@code i} of the last prompt: (tokens, width) row-major. */
        public float[] encodeMedia(int i, int tokens, int width) {
            try (Arena a = Arena.ofConfined()) {
                long cap = (long) tokens * width;
                MemorySegment out = a.allocate(JAVA_FLOAT, cap);
                int n = (int) encodeMedia.invokeExact(handle, i, out, cap);
                if (n < 0) {
                    throw new IllegalStateException("encoding chunk " + i + " failed with status " + n);
                }
                return out.asSlice(0, 4L * n).toArray(JAVA_FLOAT);
            } catch (RuntimeException e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        /** The embeddings of image chunk {@code i} of the last prompt: (tokens, width) row-major. */
        public float[] encode(int i, int tokens, int width) {
            try (Arena a = Arena.ofConfined()) {
                long cap = (long) tokens * width;
                MemorySegment out = a.allocate(JAVA_FLOAT, cap);
                int n = (int) encode.invokeExact(handle, i, out, cap);
                if (n < 0) {
                    throw new IllegalStateException("encoding chunk " + i + " failed with status " + n);
                }
                return out.asSlice(0, 4L * n).toArray(JAVA_FLOAT);
            } catch (RuntimeException e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        /** The greedy continuation of the last prompt, its logits after the prompt into {@code firstLogits}. */
        public int[] generate(int tokens, float[] firstLogits) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment out = a.allocate(JAVA_INT, Math.max(1, tokens));
                MemorySegment logits = firstLogits != null ? a.allocate(JAVA_FLOAT, firstLogits.length)
                        : MemorySegment.NULL;
                int n = (int) generate.invokeExact(handle, tokens, out, logits);
                if (n < 0) {
                    throw new IllegalStateException("generation failed with status " + n + " after " + chunks
                            + " chunks");
                }
                if (firstLogits != null) {
                    MemorySegment.copy(logits, JAVA_FLOAT, 0, firstLogits, 0, firstLogits.length);
                }
                return out.asSlice(0, 4L * n).toArray(JAVA_INT);
            } catch (RuntimeException e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        @Override
        public void close() {
            try {
                close.invokeExact(handle);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
    }
}
