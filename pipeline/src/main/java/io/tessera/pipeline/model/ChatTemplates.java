package io.tessera.pipeline.model;

import java.util.Map;

import io.tessera.tokenizer.ChatTemplate;

/** The chat template of each decoder family, as data; families not listed use Gemma 3's turns. */
public final class ChatTemplates {
    private static final Map<Architecture, ChatTemplate> BY_FAMILY = Map.of(Architecture.GEMMA3N,
            ChatTemplate.GEMMA3N);

    private ChatTemplates() {
    }

    /** The template prompts for {@code architecture} are written in. */
    public static ChatTemplate of(Architecture architecture) {
        return BY_FAMILY.getOrDefault(architecture, ChatTemplate.GEMMA3);
    }
}
