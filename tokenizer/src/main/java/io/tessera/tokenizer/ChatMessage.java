package io.tessera.tokenizer;

import java.util.List;
import java.util.Objects;

/** One message of a conversation: a role and its content items in order. */
public record ChatMessage(Role role, List<Content> content) {
    public enum Role { SYSTEM, USER, ASSISTANT }

    /** A content item: text, or a placeholder for an image or audio clip. */
    public sealed interface Content {
    }

    public record Text(String text) implements Content {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    public record Image() implements Content {
    }

    public record Audio() implements Content {
    }

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        content = List.copyOf(content);
    }

    public static ChatMessage system(String text) {
        return new ChatMessage(Role.SYSTEM, List.of(new Text(text)));
    }

    public static ChatMessage user(String text) {
        return new ChatMessage(Role.USER, List.of(new Text(text)));
    }

    public static ChatMessage assistant(String text) {
        return new ChatMessage(Role.ASSISTANT, List.of(new Text(text)));
    }
}
