package io.tessera.pipeline.cli;

import java.util.Arrays;
import java.util.List;

import io.tessera.pipeline.model.Model;
import io.tessera.tokenizer.ChatMessage;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** A prompt given as text or as token ids (exactly one of them). */
final class PromptOptions {
    static final class Source {
        @Option(names = "--prompt", paramLabel = "TEXT", description = "Prompt text (tokenized with the model's vocabulary).")
        String text;

        @Option(names = "--ids", paramLabel = "CSV", description = "Prompt token ids, comma-separated.")
        String ids;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    /** The prompt's token ids; with {@code chat}, text is wrapped in the Gemma chat template as one user turn. */
    int[] ids(Model model, boolean chat) {
        if (source.ids != null) {
            if (chat) {
                throw new IllegalArgumentException("--chat needs --prompt text, not --ids");
            }
            return parseIds(source.ids);
        }
        if (chat) {
            return model.chatTemplate().encode(model.tokenizer(), List.of(ChatMessage.user(source.text)), true);
        }
        return model.tokenizer().encode(source.text);
    }

    static int[] parseIds(String csv) {
        try {
            return Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                    .mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--ids takes comma-separated integers: " + e.getMessage());
        }
    }
}
