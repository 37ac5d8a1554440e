package io.tessera.pipeline.vision;

import java.util.ArrayList;
import java.util.List;

import io.tessera.pipeline.generate.PromptException;
import io.tessera.tokenizer.ChatMessage;
import io.tessera.tokenizer.Marker;
import io.tessera.tokenizer.Tokenizer;

/**
 * Turns a prompt with images into chunks for the decoder (spec/MODELS.md §2.5): the chat template
 * writes one {@code <start_of_image>} per image where the image goes; each becomes
 * {@code \n\n <start_of_image>} + the image's soft tokens + {@code <end_of_image> \n\n}, the
 * expansion the JAX reference makes at token level ({@code [108, 255999, -2 x 256, 256000, 108]};
 * {@code \n\n} is whatever the vocabulary encodes it as). Images are numbered in the order they
 * appear.
 */
public final class Interleaver {
    /** The placeholder that puts an image inside the text of a user message. */
    public static final String IMAGE_PLACEHOLDER = "{image}";

    private final int startOfImage;
    private final int endOfImage;
    private final int[] blankLine;
    private final int softTokens;
    private final int width;

    /** For {@code tokenizer}'s vocabulary, which must have the image markers, and images of {@code vision}. */
    public Interleaver(Tokenizer tokenizer, VisionConfig vision) {
        this.startOfImage = marker(tokenizer, Marker.START_OF_IMAGE);
        this.endOfImage = marker(tokenizer, Marker.END_OF_IMAGE);
        this.blankLine = tokenizer.encode("\n\n", false, false);
        this.softTokens = vision.softTokens();
        this.width = vision.projectionDim();
    }

    private static int marker(Tokenizer tokenizer, Marker m) {
        return tokenizer.marker(m).orElseThrow(() -> new PromptException("the text model's vocabulary has no "
                + m.text() + " token, so it cannot take images"));
    }

    /**
     * The content of a user message: {@code text} with an image item at each {@link #IMAGE_PLACEHOLDER},
     * or, when there is none, {@code images} image items first and then the text.
     */
    public static List<ChatMessage.Content> userContent(String text, int images) {
        List<ChatMessage.Content> content = new ArrayList<>();
        String[] parts = text.split(java.util.regex.Pattern.quote(IMAGE_PLACEHOLDER), -1);
        int placed = parts.length - 1;
        if (placed == 0) {
            for (int i = 0; i < images; i++) {
                content.add(new ChatMessage.Image());
            }
            content.add(new ChatMessage.Text(text));
            return content;
        }
        if (placed != images) {
            throw new PromptException("the prompt has " + placed + " " + IMAGE_PLACEHOLDER + " placeholders for "
                    + images + " images");
        }
        for (int i = 0; i < parts.length; i++) {
            if (!parts[i].isEmpty()) {
                content.add(new ChatMessage.Text(parts[i]));
            }
            if (i < placed) {
                content.add(new ChatMessage.Image());
            }
        }
        return content;
    }

    /** Expands each {@code <start_of_image>} of {@code ids} into an image block; there must be {@code images} of them. */
    public InterleavedPrompt expand(int[] ids, int images) {
        List<PromptChunk> chunks = new ArrayList<>();
        List<Integer> text = new ArrayList<>();
        int image = 0;
        for (int id : ids) {
            if (id != startOfImage) {
                text.add(id);
                continue;
            }
            if (image == images) {
                throw new PromptException("the prompt has more " + Marker.START_OF_IMAGE.text() + " markers than the "
                        + images + " images given");
            }
            for (int t : blankLine) {
                text.add(t);
            }
            text.add(startOfImage);
            chunks.add(new PromptChunk.Text(text.stream().mapToInt(Integer::intValue).toArray()));
            text.clear();
            chunks.add(new PromptChunk.Image(image++, softTokens, width));
            text.add(endOfImage);
            for (int t : blankLine) {
                text.add(t);
            }
        }
        if (image != images) {
            throw new PromptException("the prompt has " + image + " " + Marker.START_OF_IMAGE.text() + " markers for "
                    + images + " images");
        }
        if (!text.isEmpty()) {
            chunks.add(new PromptChunk.Text(text.stream().mapToInt(Integer::intValue).toArray()));
        }
        return new InterleavedPrompt(chunks, images);
    }
}
