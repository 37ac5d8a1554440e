package io.tessera.pipeline.reference;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

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
import java.util.Arrays;

import org.junit.jupiter.api.Assumptions;

/**
 * llama.cpp as an independent reference: libllama from the npm package
 * {@code @node-llama-cpp/linux-x64}, reached through the FFM API and the thin C layer
 * {@code ci/reference/llama_ref.c} (built by {@code ci/reference/build-llama-ref}).
 *
 * <p>Tests call {@link #require()}; it skips the test, with the reason, where npm, gcc or the
 * registry is unavailable.
 */
@SuppressWarnings("restricted") // FFM downcalls into llama.cpp are the point of this class
public final class LlamaCpp {
    private static final Linker LINKER = Linker.nativeLinker();
    private static LlamaCpp instance;
    private static String unavailable;

    private final MethodHandle load;
    private final MethodHandle free;
    private final MethodHandle nVocab;
    private final MethodHandle tokenize;
    private final MethodHandle tokenToPiece;
    private final MethodHandle eval;
    private final MethodHandle greedy;
    /** ref_eval_embd, absent from a libllama_ref.so built before it existed. */
    private final MethodHandle evalEmbd;

    private LlamaCpp(Path libDir) throws Throwable {
        SymbolLookup lib = SymbolLookup.libraryLookup(libDir.resolve("libllama_ref.so"), Arena.global());
        MethodHandle init = handle(lib, "ref_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        load = handle(lib, "ref_load", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));
        free = handle(lib, "ref_free", FunctionDescriptor.ofVoid(ADDRESS));
        nVocab = handle(lib, "ref_n_vocab", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        tokenize = handle(lib, "ref_tokenize",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
        tokenToPiece = handle(lib, "ref_token_to_piece",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
        eval = handle(lib, "ref_eval", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS));
        greedy = handle(lib, "ref_greedy",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
        evalEmbd = lib.find("ref_eval_embd").map(f -> LINKER.downcallHandle(f,
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS))).orElse(null);
        try (Arena a = Arena.ofConfined()) {
            int backends = (int) init.invokeExact(a.allocateFrom(libDir.toString()));
            if (backends == 0) {
                throw new IllegalStateException("llama.cpp registered no backend from " + libDir);
            }
        }
    }

    /** The reference, built on first use; skips the calling test when it cannot be had here. */
    public static synchronized LlamaCpp require() {
        if (instance == null && unavailable == null) {
            try {
                instance = new LlamaCpp(build());
            } catch (Throwable e) {
                unavailable = "llama.cpp reference unavailable: " + e.getMessage();
            }
        }
        Assumptions.assumeTrue(instance != null, unavailable);
        return instance;
    }

    private static Path build() throws IOException, InterruptedException {
        Path repo = Path.of(System.getProperty("tessera.repo", ".."));
        Process p = new ProcessBuilder(repo.resolve("ci/reference/build-llama-ref").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IOException("ci/reference/build-llama-ref failed: " + out);
        }
        Path dir = Path.of(out.lines().reduce((a, b) -> b).orElse(""));
        if (!Files.isRegularFile(dir.resolve("libllama_ref.so"))) {
            throw new IOException("ci/reference/build-llama-ref printed no library directory: " + out);
        }
        return dir;
    }

    private static MethodHandle handle(SymbolLookup lib, String name, FunctionDescriptor d) {
        return LINKER.downcallHandle(lib.find(name).orElseThrow(
                () -> new IllegalStateException("symbol " + name + " missing in libllama_ref.so")), d);
    }

    /** Opens a GGUF model; {@code vocabOnly} skips the weights. */
    public Model open(Path gguf, int contextLength, boolean vocabOnly) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = (MemorySegment) load.invokeExact(a.allocateFrom(gguf.toString()), contextLength,
                    vocabOnly ? 1 : 0, Math.max(1, Runtime.getRuntime().availableProcessors()));
            if (m.equals(MemorySegment.NULL)) {
                throw new IllegalArgumentException("llama.cpp could not load " + gguf);
            }
            return new Model(m);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** One model loaded in llama.cpp. */
    public final class Model implements AutoCloseable {
        private final MemorySegment handle;

        private Model(MemorySegment handle) {
            this.handle = handle;
        }

        public int vocabSize() {
            try {
                return (int) nVocab.invokeExact(handle);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        public int[] tokenize(String text, boolean addSpecial, boolean parseSpecial) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            try (Arena a = Arena.ofConfined()) {
                MemorySegment t = a.allocate(Math.max(1, utf8.length));
                MemorySegment.copy(utf8, 0, t, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, utf8.length);
                int cap = utf8.length + 8;
                MemorySegment out = a.allocate(JAVA_INT, cap);
                int n = (int) tokenize.invokeExact(handle, t, utf8.length, addSpecial ? 1 : 0,
                        parseSpecial ? 1 : 0, out, cap);
                if (n < 0) {
                    throw new IllegalStateException("llama_tokenize needs " + -n + " tokens");
                }
                return out.asSlice(0, 4L * n).toArray(JAVA_INT);
            } catch (RuntimeException e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        public byte[] piece(int token) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment out = a.allocate(256);
                int n = (int) tokenToPiece.invokeExact(handle, token, out, 256);
                return Arrays.copyOf(out.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), Math.max(n, 0));
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        /** Logits after every position of {@code ids}: [positions][vocab]. */
        public float[][] logits(int[] ids) {
            int nv = vocabSize();
            try (Arena a = Arena.ofConfined()) {
                MemorySegment out = a.allocate(JAVA_FLOAT, (long) ids.length * nv);
                int rc = (int) eval.invokeExact(handle, a.allocateFrom(JAVA_INT, ids), ids.length, out);
                if (rc != 0) {
                    throw new IllegalStateException("llama_decode failed: " + rc);
                }
                float[][] rows = new float[ids.length][];
                for (int i = 0; i < ids.length; i++) {
                    rows[i] = out.asSlice(4L * i * nv, 4L * nv).toArray(JAVA_FLOAT);
                }
                return rows;
            } catch (RuntimeException e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        /**
         * Logits after every one of {@code n} rows of input embeddings ({@code rows}: [n][n_embd], used
         * unscaled, as a multimodal chunk enters the decoder): [n][vocab]. Skips the calling test
         * where the reference library predates this entry point.
         */
        public float[][] logitsOfEmbeddings(float[] rows, int n) {
            Assumptions.assumeTrue(evalEmbd != null, "libllama_ref.so has no ref_eval_embd (rebuild it with "
                    + "ci/reference/build-llama-ref)");
            int nv = vocabSize();
            try (Arena a = Arena.ofConfined()) {
                MemorySegment out = a.allocate(JAVA_FLOAT, (long) n * nv);
                int rc = (int) evalEmbd.invokeExact(handle, a.allocateFrom(JAVA_FLOAT, rows), n, out);
                if (rc != 0) {
                    throw new IllegalStateException("llama_decode of embeddings failed: " + rc);
                }
                float[][] logits = new float[n][];
                for (int i = 0; i < n; i++) {
                    logits[i] = out.asSlice(4L * i * nv, 4L * nv).toArray(JAVA_FLOAT);
                }
                return logits;
            } catch (RuntimeException e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        /** Greedy continuation of up to {@code count} tokens, ending after an end-of-generation token. */
        public int[] greedy(int[] prompt, int count) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment out = a.allocate(JAVA_INT, Math.max(1, count));
                int n = (int) greedy.invokeExact(handle, a.allocateFrom(JAVA_INT, prompt), prompt.length, count, out);
                if (n < 0) {
                    throw new IllegalStateException("greedy decoding failed: " + n);
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
                free.invokeExact(handle);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
    }
}
