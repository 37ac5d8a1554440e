package io.tessera.pipeline.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import io.tessera.pipeline.generate.Decoder;
import io.tessera.pipeline.model.Model;
import io.tessera.tasks.api.Device;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code tessera bench}: prompt and decode throughput per backend, the median of repetitions, as
 * llama-bench measures them (a prompt of random tokens; then tokens decoded one at a time).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure prompt (prefill) and decode tokens per second on each backend.",
            "", "Each repetition prefills a prompt of -p random tokens, then decodes -n tokens one at a time; "
                + "the median over -r repetitions is reported, after one warm-up run that compiles the kernels "
                + "and copies the weights to the device."})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "GGUF model file.")
    java.nio.file.Path model;

    @Option(names = "--backend", paramLabel = "SEL", description = "Device selector; repeat for several "
            + "(default from conf/backends.yaml).")
    List<String> backends = new ArrayList<>();

    @Option(names = {"-p", "--prompt-tokens"}, paramLabel = "N", defaultValue = "512",
            description = "Prompt length (default: ${DEFAULT-VALUE}).")
    int promptTokens;

    @Option(names = {"-n", "--decode-tokens"}, paramLabel = "N", defaultValue = "128",
            description = "Decoded tokens (default: ${DEFAULT-VALUE}).")
    int decodeTokens;

    @Option(names = {"-r", "--repetitions"}, paramLabel = "N", defaultValue = "3",
            description = "Repetitions (default: ${DEFAULT-VALUE}).")
    int repetitions;

    @Option(names = "--tile", paramLabel = "N", defaultValue = "512",
            description = "Prompt tokens per prefill tile (default: ${DEFAULT-VALUE}).")
    int tile;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @ParentCommand
    TesseraCli root;

    /** One backend's medians. */
    record Result(String backend, double promptTokensPerSecond, double decodeTokensPerSecond) {
    }

    @Override
    public Integer call() {
        if (promptTokens <= 0 || decodeTokens < 0 || repetitions <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "-p and -r must be positive and -n not negative");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> selectors = backends.isEmpty() ? List.of(root.backends().defaultSelector()) : backends;
        List<Result> results = new ArrayList<>();
        try (Model m = Model.load(model)) {
            err.print(m.report());
            int[] prompt = new SplittableRandom(42).ints(promptTokens, 0, m.config().vocab()).toArray();
            int[] decoded = new SplittableRandom(43).ints(Math.max(decodeTokens, 1), 0, m.config().vocab()).toArray();
            for (String selector : selectors) {
                Device device = ModelOptions.device(selector, root.backends());
                try (Decoder d = new Decoder(m, device, new Decoder.Options(promptTokens + decodeTokens + 1,
                        Math.min(tile, promptTokens), false))) {
                    err.printf("  %s: %s on the device, warming up%n", device, Model.bytes(d.deviceBytes()));
                    err.flush();
                    run(d, prompt, decoded, Math.min(decodeTokens, 4));
                    double[] pp = new double[repetitions];
                    double[] tg = new double[repetitions];
                    for (int r = 0; r < repetitions; r++) {
                        double[] t = run(d, prompt, decoded, decodeTokens);
                        pp[r] = promptTokens / t[0];
                        tg[r] = decodeTokens > 0 ? decodeTokens / t[1] : 0;
                    }
                    results.add(new Result(device.selector(), median(pp), median(tg)));
                }
            }
        }
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Result r : results) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("backend", r.backend());
                row.put("prompt_tokens", promptTokens);
                row.put("decode_tokens", decodeTokens);
                row.put("prompt_tok_s", r.promptTokensPerSecond());
                row.put("decode_tok_s", r.decodeTokensPerSecond());
                rows.add(row);
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("model", model.toString());
            doc.put("repetitions", repetitions);
            doc.put("results", rows);
            out.println(JsonMapper.builder().build().writeValueAsString(doc));
        } else {
            out.printf("%-16s %12s %12s%n", "backend", "pp" + promptTokens + " t/s", "tg" + decodeTokens + " t/s");
            for (Result r : results) {
                out.printf("%-16s %12.2f %12.2f%n", r.backend(), r.promptTokensPerSecond(), r.decodeTokensPerSecond());
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** Seconds of the prefill and of the decode steps. */
    private static double[] run(Decoder d, int[] prompt, int[] decoded, int steps) {
        d.reset();
        long t0 = System.nanoTime();
        d.prefill(prompt);
        long t1 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            d.decode(decoded[i]);
        }
        long t2 = System.nanoTime();
        return new double[] {(t1 - t0) / 1e9, (t2 - t1) / 1e9};
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
