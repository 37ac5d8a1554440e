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

import io.tessera.media.video.VideoFrame;
import io.tessera.pipeline.generate.Decoder;
import io.tessera.pipeline.generate.Generation;
import io.tessera.pipeline.generate.Generator;
import io.tessera.pipeline.model.Model;
import io.tessera.pipeline.sample.SamplingSettings;
import io.tessera.pipeline.vision.InterleavedPrompt;
import io.tessera.pipeline.vision.Interleaver;
import io.tessera.pipeline.vision.Mmproj;
import io.tessera.pipeline.vision.MultimodalGenerator;
import io.tessera.pipeline.vision.VisionEncoder;
import io.tessera.tokenizer.ChatMessage;
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

    /** One question about --image and --video files, answered through the vision encoder. */
    private int askAboutMedia(SamplingSettings settings, PrintWriter out, PrintWriter err) {
        if (media.mmproj == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--image and --video need --mmproj");
        }
        if (!media.any()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--mmproj needs --image or --video");
        }
        if (question.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "a question is needed with --image or --video (the interactive chat takes text only)");
        }
        List<VideoFrame> clip = media.videoFrames();
        try (Model model = modelOptions.load(err); Mmproj vision = Mmproj.load(media.mmproj)) {
            vision.checkCompatible(model);
            if (modelOptions.tile < vision.config().softTokens()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--tile " + modelOptions.tile
                        + " is smaller than an image block (" + vision.config().softTokens() + " soft tokens)");
            }
            List<ChatMessage> conversation = new ArrayList<>();
            if (system != null) {
                conversation.add(ChatMessage.system(system));
            }
            int images = media.images.size() + clip.size();
            conversation.add(new ChatMessage(ChatMessage.Role.USER,
                    MediaOptions.content(String.join(" ", question), media.images.size(), clip)));
            int[] ids = model.chatTemplate().encode(model.tokenizer(), conversation, true);
            InterleavedPrompt prompt = new Interleaver(model.tokenizer(), vision.config()).expand(ids, images);
            try (Decoder decoder = modelOptions.decoder(model, root.backends(), false, err);
                 VisionEncoder encoder = new VisionEncoder(vision, decoder.device(), VisionEncoder.Options.batch(4))) {
                new MultimodalGenerator(decoder, model.tokenizer(), model.endTokens())
                        .generate(prompt, media.embeddings(encoder, clip), tokens, settings, piece -> {
                            out.print(piece);
                            out.flush();
                        });
            }
        }
        out.println();
        out.flush();
        return ExitCodes.OK;
    }

    /** Streams the model's answer to the conversation and returns its text. */
    private String answer(Generator generator, Model model, List<ChatMessage> conversation, SamplingSettings settings,
                          PrintWriter out) {
        int[] ids = model.chatTemplate().encode(model.tokenizer(), conversation, true);
        Generation g = generator.generate(ids, tokens, settings, piece -> {
            out.print(piece);
            out.flush();
        });
        out.println();
        out.flush();
        return g.text();
    }
}
