package io.tessera.pipeline.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.tessera.pipeline.generate.Decoder;
import io.tessera.pipeline.generate.Generation;
import io.tessera.pipeline.generate.Generator;
import io.tessera.pipeline.model.Model;
import io.tessera.pipeline.sample.SamplingSettings;
import io.tessera.pipeline.vision.MultimodalGenerator;
import io.tessera.tokenizer.ChatMessage;
import io.tessera.tokenizer.ChatTemplate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tessera ask}: one question, or an interactive chat, through the Gemma chat template. */
@Command(name = "ask", mixinStandardHelpOptions = true,
        description = {"Ask the model a question and stream its answer, or chat without one.",
            "",
            "With no question, chats interactively: one user turn per line; an empty line or the end of "
                + "input ends the chat."})
final class AskCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Mixin
    SamplingOptions sampling;

    @Mixin
    MediaOptions media;

    @Option(names = "--system", paramLabel = "TEXT", description = "System instruction.")
    String system;

    @Option(names = {"-n", "--tokens"}, paramLabel = "N", defaultValue = "512",
            description = "Most tokens per answer (default: ${DEFAULT-VALUE}).")
    int tokens;

    @Parameters(arity = "0..*", paramLabel = "TEXT", description = "The question.")
    List<String> question = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @ParentCommand
    TesseraCli root;

    @Override
    public Integer call() {
        SamplingSettings settings;
        try {
            settings = sampling.settings();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (media.any() || media.mmproj != null) {
            return askAboutMedia(settings, out, err);
        }
        try (Model model = modelOptions.load(err);
             Decoder decoder = modelOptions.decoder(model, root.backends(), false, err)) {
            Generator generator = new Generator(decoder, model.tokenizer(), model.endTokens());
            List<ChatMessage> conversation = new ArrayList<>();
            if (system != null) {
                conversation.add(ChatMessage.system(system));
            }
            if (!question.isEmpty()) {
                conversation.add(ChatMessage.user(String.join(" ", question)));
                answer(generator, model, conversation, settings, out);
                return ExitCodes.OK;
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (true) {
                out.print("> ");
                out.flush();
                String line = in.readLine();
                if (line == null || line.isBlank()) {
                    break;
                }
                conversation.add(ChatMessage.user(line));
                conversation.add(ChatMessage.assistant(answer(generator, model, conversation, settings, out)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ExitCodes.OK;
    }

    /** One question about --image, --audio and --video files, answered through the mmproj's encoders. */
    private int askAboutMedia(SamplingSettings settings, PrintWriter out, PrintWriter err) {
        MediaRun.check(spec.commandLine(), media);
        if (question.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "a question is needed with --image, --audio or --video (the interactive chat takes text only)");
        }
        try (Model model = modelOptions.load(err);
             Decoder decoder = modelOptions.decoder(model, root.backends(), false, err);
             MediaRun run = MediaRun.open(spec.commandLine(), media, model, decoder, ChatTemplate.GEMMA3, system,
                     String.join(" ", question))) {
            new MultimodalGenerator(decoder, model.tokenizer(), model.endTokens())
                    .generate(run.prompt.prompt(), run.images, run.audioChunks, tokens, settings, piece -> {
                        out.print(piece);
                        out.flush();
                    });
        }
        out.println();
        out.flush();
        return ExitCodes.OK;
    }

    /** Streams the model's answer to the conversation and returns its text. */
    private String answer(Generator generator, Model model, List<ChatMessage> conversation, SamplingSettings settings,
                          PrintWriter out) {
        int[] ids = ChatTemplate.GEMMA3.encode(model.tokenizer(), conversation, true);
        Generation g = generator.generate(ids, tokens, settings, piece -> {
            out.print(piece);
            out.flush();
        });
        out.println();
        out.flush();
        return g.text();
    }
}
