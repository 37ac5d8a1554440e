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
    private final MethodHandle close;
    private final MethodHandle marker;
    private final MethodHandle tokenize;
    private final MethodHandle chunk;
    private final MethodHandle chunkTokens;
    private final MethodHandle encode;
    private final MethodHandle generate;

    private Mtmd(Path libDir) {
        SymbolLookup lib = SymbolLookup.libraryLookup(libDir.resolve("libmtmd_ref.so"), Arena.global());
        open = handle(lib, "mref_open", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT));
        close = handle(lib, "mref_close", FunctionDescriptor.ofVoid(ADDRESS));
        marker = handle(lib, "mref_marker", FunctionDescriptor.of(ADDRESS));
        tokenize = handle(lib, "mref_tokenize",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT));
        chunk = handle(lib, "mref_chunk", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        chunkTokens = handle(lib, "mref_chunk_tokens",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
        encode = handle(lib, "mref_encode", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG));
        generate = handle(lib, "mref_generate", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
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

    /** A chunk of a tokenized prompt: text tokens, or an image of {@code tokens} positions. */
    public record Chunk(boolean image, int tokens, int[] text) {
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
                    out.add(new Chunk(type != 0, tokens, text));
                }
                return out;
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
