package io.tessera.tokenizer;

import java.util.List;

/**
 * Gemma chat formats, written in code rather than Jinja (spec/MODELS.md §1.5, §4.1, §4.2). A
 * format is data: its turn markers, the placeholder each media item renders as, and whether a
 * system message has its own turn or is folded into the first user turn.
 *
 * <p>Rules common to all: the text starts with {@code <bos>}; roles after the optional leading
 * system message alternate user/assistant starting with user; {@code assistant} is written
 * {@code model}; text items are trimmed; each turn is {@code open + role + "\n" + content + close + "\n"};
 * the generation prompt is {@code open + "model\n"}. The rendered text is meant to be encoded with
 * special tokens parsed and without another BOS ({@link #encode}).
 */
public record ChatTemplate(String name, String turnOpen, String turnClose, String imageItem, String audioItem,
                           boolean systemTurn) {

    /** Gemma 2 and 3: a system message becomes a prefix of the first user turn, followed by a blank line. */
    public static final ChatTemplate GEMMA3 = new ChatTemplate("gemma3", "<start_of_turn>", "<end_of_turn>",
            "<start_of_image>", null, false);

    /** Gemma 3n: as Gemma 3, with image and audio soft-token placeholders that the processor expands. */
    public static final ChatTemplate GEMMA3N = new ChatTemplate("gemma3n", "<start_of_turn>", "<end_of_turn>",
            "<image_soft_token>", "<audio_soft_token>", false);

    /** Gemma 4: {@code <|turn>user\n…<turn|>\n}, a system turn of its own, image/audio placeholders. */
    public static final ChatTemplate GEMMA4 = new ChatTemplate("gemma4", "<|turn>", "<turn|>",
            "<|image|>", "<|audio|>", true);

    /** Renders a conversation to prompt text. */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        StringBuilder sb = new StringBuilder("<bos>");
        int first = 0;
        String firstUserPrefix = "";
        if (!messages.isEmpty() && messages.getFirst().role() == ChatMessage.Role.SYSTEM) {
            String system = contentText(messages.getFirst(), 0);
            if (systemTurn) {
                sb.append(turnOpen).append("system\n").append(system).append(turnClose).append('\n');
            } else {
                firstUserPrefix = system + "\n\n";
            }
            first = 1;
        }
        for (int i = first; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            boolean expectUser = (i - first) % 2 == 0;
            if (m.role() == ChatMessage.Role.SYSTEM || (m.role() == ChatMessage.Role.USER) != expectUser) {
                throw new IllegalArgumentException("message " + i + " has role " + m.role()
                        + ": after an optional first system message, roles must alternate user/assistant, starting with user");
            }
            String role = m.role() == ChatMessage.Role.USER ? "user" : "model";
            sb.append(turnOpen).append(role).append('\n');
            if (i == first) {
                sb.append(firstUserPrefix);
            }
            sb.append(contentText(m, i)).append(turnClose).append('\n');
        }
        if (addGenerationPrompt) {
            sb.append(turnOpen).append("model\n");
        }
        return sb.toString();
    }

    /** Renders and encodes a conversation: special tokens parsed, the template's own {@code <bos>} only. */
    public int[] encode(Tokenizer tokenizer, List<ChatMessage> messages, boolean addGenerationPrompt) {
        return tokenizer.encode(render(messages, addGenerationPrompt), false, true);
    }

    private String contentText(ChatMessage m, int index) {
        StringBuilder sb = new StringBuilder();
        for (ChatMessage.Content c : m.content()) {
            switch (c) {
                case ChatMessage.Text t -> sb.append(t.text().strip());
                case ChatMessage.Image _ -> sb.append(imageItem);
                case ChatMessage.Audio _ -> {
                    if (audioItem == null) {
                        throw new IllegalArgumentException("message " + index + " has audio, which the "
                                + name + " format cannot carry");
                    }
                    sb.append(audioItem);
                }
            }
        }
        return sb.toString();
    }

    /**
     * The token text an image expands to before encoding, as the model's processor writes it:
     * Gemma 3/3n {@code "\n\n<start_of_image>" + "<image_soft_token>"×n + "<end_of_image>\n\n"};
     * Gemma 4 {@code "<|image>" + "<|image|>"×n + "<image|>"}.
     */
    public String imageSequence(int softTokens) {
        return turnOpen.equals(GEMMA4.turnOpen)
                ? "<|image>" + "<|image|>".repeat(softTokens) + "<image|>"
                : "\n\n<start_of_image>" + "<image_soft_token>".repeat(softTokens) + "<end_of_image>\n\n";
    }

    /**
     * The token text an audio clip expands to: Gemma 3n
     * {@code "\n\n<start_of_audio>" + "<audio_soft_token>"×n + "<end_of_audio>\n\n"};
     * Gemma 4 {@code "<|audio>" + "<|audio|>"×n + "<audio|>"}.
     */
    public String audioSequence(int softTokens) {
        if (audioItem == null) {
            throw new IllegalArgumentException("the " + name + " format has no audio");
        }
        return turnOpen.equals(GEMMA4.turnOpen)
                ? "<|audio>" + "<|audio|>".repeat(softTokens) + "<audio|>"
                : "\n\n<start_of_audio>" + "<audio_soft_token>".repeat(softTokens) + "<end_of_audio>\n\n";
    }
}
