package io.tessera.pipeline.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import io.tessera.pipeline.generate.Decoder;
import io.tessera.pipeline.generate.Generation;
import io.tessera.pipeline.generate.Generator;
import io.tessera.pipeline.model.Model;
import io.tessera.pipeline.sample.SamplingSettings;
import io.tessera.pipeline.vision.MultimodalGenerator;
import io.tessera.tokenizer.ChatTemplate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.json.JsonMapper;

/** {@code tessera generate}: a continuation of a prompt, streamed. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Continue a prompt, streaming the text to stdout.",
            "", "Sampling defaults to the Gemma recommendation (temperature 1.0, top-k 64, top-p 0.95);",
            "--greedy takes the most likely token. Generation stops at the model's end tokens.",
            "JSON: {\"prompt_ids\":[...],\"ids\":[...],\"text\":\"...\",\"timings\":{\"prefill_tok_s\":..,\"decode_tok_s\":..}}"})
final class GenerateCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Mixin
    PromptOptions prompt;

    @Mixin
    SamplingOptions sampling;

    @Mixin
    MediaOptions media;

    @Option(names = {"-n", "--tokens"}, paramLabel = "N", defaultValue = "128",
            description = "Most tokens to generate (default: ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--chat", description = "Wrap the prompt in the Gemma chat template as one user turn.")
    boolean chat;

    @Option(names = "--json", description = "Print JSON at the end instead of streaming text.")
    boolean json;

    @Spec
    CommandSpec spec;

    @ParentCommand
    TesseraCli root;

    @Override
    public Integer call() {
        if (tokens < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "-n must not be negative, not " + tokens);
        }
        SamplingSettings settings;
        try {
            settings = sampling.settings();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (media.any() || media.mmproj != null) {
            return generateWithMedia(settings, out, err);
        }
        try (Model model = modelOptions.load(err)) {
            int[] ids = prompt.ids(model, chat);
            if (modelOptions.contextLength == null) {
                modelOptions.contextLength = Math.min(Math.max(model.config().trainedContext(), 1),
                        Math.max(4096, ids.length + tokens));
            }
            try (Decoder decoder = modelOptions.decoder(model, root.backends(), false, err)) {
                Generator generator = new Generator(decoder, model.tokenizer(), model.endTokens());
                Generation g = generator.generate(ids, tokens, settings, piece -> {
                    if (!json) {
                        out.print(piece);
                        out.flush();
                    }
                });
                report(g, out, err);
            }
        }
        out.flush();
        err.flush();
        return ExitCodes.OK;
    }

    /**
     * The continuation of --prompt with --image, --audio and --video through the mmproj's encoders:
     * the text with its media markers as it is, or with --chat as one user turn.
     */
    private int generateWithMedia(SamplingSettings settings, PrintWriter out, PrintWriter err) {
        MediaRun.check(spec.commandLine(), media);
        if (prompt.source.text == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "media need --prompt text, not --ids");
        }
        try (Model model = modelOptions.load(err);
             Decoder decoder = modelOptions.decoder(model, root.backends(), false, err);
             MediaRun run = MediaRun.open(spec.commandLine(), media, model, decoder,
                     chat ? ChatTemplate.GEMMA3 : null, null, prompt.source.text)) {
            Generation g = new MultimodalGenerator(decoder, model.tokenizer(), model.endTokens())
                    .generate(run.prompt.prompt(), run.images, run.audioChunks, tokens, settings, piece -> {
                        if (!json) {
                            out.print(piece);
                            out.flush();
                        }
                    });
            report(g, out, err);
        }
        out.flush();
        err.flush();
        return ExitCodes.OK;
    }

    /** The result: JSON, or a newline after the streamed text and the rates on stderr. */
    private void report(Generation g, PrintWriter out, PrintWriter err) {
        if (json) {
            Map<String, Object> timings = new LinkedHashMap<>();
            timings.put("prefill_tok_s", g.prefillTokensPerSecond());
            timings.put("decode_tok_s", g.decodeTokensPerSecond());
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("prompt_ids", g.promptIds());
            result.put("ids", g.ids());
            result.put("text", g.text());
            result.put("timings", timings);
            out.println(JsonMapper.builder().build().writeValueAsString(result));
        } else {
            out.println();
            if (!modelOptions.quiet) {
                err.printf("prompt %d tokens at %.1f tok/s, generated %d tokens at %.1f tok/s%s%n",
                        g.promptIds().length, g.prefillTokensPerSecond(), g.ids().length, g.decodeTokensPerSecond(),
                        g.stoppedAtEnd() ? " (end token)" : "");
            }
        }
    }
}
