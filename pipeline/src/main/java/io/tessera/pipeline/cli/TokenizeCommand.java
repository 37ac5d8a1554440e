package io.tessera.pipeline.cli;

import io.tessera.pipeline.gguf.GgufFormatException;
import io.tessera.pipeline.gguf.ModelTokenizers;
import io.tessera.tokenizer.Tokenizer;
import io.tessera.tokenizer.TokenizerFormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code tessera tokenize}: text to token ids. Exit codes: 0 ok, 1 runtime failure, 2 usage error,
 * 3 bad input file (model/tokenizer file or JSONL input).
 */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Encode text to token ids with the tokenizer of a GGUF model, tokenizer.json or tokenizer.model.")
public final class TokenizeCommand implements Callable<Integer> {
    static final int EXIT_BAD_INPUT = 3;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "GGUF model, tokenizer.json or tokenizer.model (detected by content).")
    Path model;

    @Option(names = "--no-bos", description = "Do not start with the BOS token.")
    boolean noBos;

    @Option(names = "--special", description = "Recognise special-token text such as <start_of_turn>.")
    boolean special;

    @Option(names = "--json", description = "Print {\"ids\":[...]} instead of space-separated ids.")
    boolean json;

    @Option(names = "--jsonl", paramLabel = "IN",
            description = "Read {\"id\":..,\"text\":..} lines from IN ('-' for stdin) and write {\"id\":..,\"ids\":[...]} lines.")
    String jsonl;

    @Parameters(arity = "0..1", paramLabel = "TEXT", description = "The text, or '-' to read it from stdin.")
    String text;

    InputStream stdin = System.in;

    @Override
    public Integer call() {
        if ((jsonl == null) == (text == null)) {
            throw new ParameterException(spec.commandLine(), "give either TEXT or --jsonl IN");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Tokenizer tokenizer = ModelTokenizers.load(model);
            if (jsonl != null) {
                return encodeLines(tokenizer, out, err);
            }
            String input = text.equals("-") ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8) : text;
            int[] ids = tokenizer.encode(input, !noBos && tokenizer.addsBos(), special);
            out.println(json ? idsObject(new ObjectMapper(), ids).toString() : join(ids));
            out.flush();
            return 0;
        } catch (GgufFormatException | TokenizerFormatException e) {
            err.println("tessera tokenize: " + e.getMessage());
            return EXIT_BAD_INPUT;
        } catch (IOException | RuntimeException e) {
            err.println("tessera tokenize: " + e);
            return 1;
        }
    }

    private int encodeLines(Tokenizer tokenizer, PrintWriter out, PrintWriter err) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        String name = jsonl.equals("-") ? "<stdin>" : jsonl;
        BufferedReader reader;
        if (jsonl.equals("-")) {
            reader = new BufferedReader(new java.io.InputStreamReader(stdin, StandardCharsets.UTF_8));
        } else {
            Path in = Path.of(jsonl);
            if (!Files.isReadable(in)) {
                err.println("tessera tokenize: " + name + ": cannot read the file");
                return EXIT_BAD_INPUT;
            }
            reader = Files.newBufferedReader(in, StandardCharsets.UTF_8);
        }
        try (reader) {
            String line;
            int lineNo = 0;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = mapper.readTree(line);
                } catch (JacksonException e) {
                    err.println("tessera tokenize: " + name + ":" + lineNo + ": not valid JSON: " + e.getOriginalMessage());
                    return EXIT_BAD_INPUT;
                }
                if (node == null || !node.isObject() || !node.path("text").isString()) {
                    err.println("tessera tokenize: " + name + ":" + lineNo + ": expected an object with a string \"text\"");
                    return EXIT_BAD_INPUT;
                }
                int[] ids = tokenizer.encode(node.path("text").stringValue(), !noBos && tokenizer.addsBos(), special);
                ObjectNode result = mapper.createObjectNode();
                result.set("id", node.has("id") ? node.get("id") : mapper.nullNode());
                result.set("ids", idsObject(mapper, ids).get("ids"));
                out.println(result.toString());
            }
        }
        out.flush();
        return 0;
    }

    private static ObjectNode idsObject(ObjectMapper mapper, int[] ids) {
        ObjectNode o = mapper.createObjectNode();
        ArrayNode a = o.putArray("ids");
        for (int id : ids) {
            a.add(id);
        }
        return o;
    }

    private static String join(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ids.length; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(ids[i]);
        }
        return sb.toString();
    }
}
