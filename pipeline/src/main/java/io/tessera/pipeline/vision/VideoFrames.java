package io.tessera.pipeline.vision;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import io.tessera.media.FloatTensor;
import io.tessera.media.image.ImagePreprocessor;
import io.tessera.media.video.VideoFrame;
import io.tessera.pipeline.generate.PromptException;
import io.tessera.tokenizer.ChatMessage;

/**
 * Video as Gemma 3 takes it (spec/MODELS.md §5: a list of images): each sampled frame is preceded
 * by its {@code mm:ss} timestamp as text and becomes an image block. Frames are preprocessed and
 * encoded batch by batch only when the decoder reaches them, so memory holds one batch of frames
 * and embeddings, not the video.
 */
public final class VideoFrames {
    /** The placeholder that puts the video inside the text of a user message. */
    public static final String VIDEO_PLACEHOLDER = "{video}";

    private VideoFrames() {
    }

    /**
     * The content of a user message: {@code text} with the frames (timestamp, image) at
     * {@link #VIDEO_PLACEHOLDER}, or the frames first when there is none.
     */
    public static List<ChatMessage.Content> userContent(String text, List<VideoFrame> frames) {
        if (frames.isEmpty()) {
            throw new PromptException("no frame of the video could be decoded");
        }
        String[] parts = text.split(java.util.regex.Pattern.quote(VIDEO_PLACEHOLDER), -1);
        if (parts.length > 2) {
            throw new PromptException("the prompt has " + (parts.length - 1) + " " + VIDEO_PLACEHOLDER
                    + " placeholders for one video");
        }
        List<ChatMessage.Content> content = new ArrayList<>();
        String before = parts.length == 2 ? parts[0] : "";
        String after = parts.length == 2 ? parts[1] : text;
        for (int i = 0; i < frames.size(); i++) {
            // text items are trimmed by the chat template: the text before the video and the first
            // timestamp share one item, so that a space stays between them
            String stamp = frames.get(i).mmss();
            content.add(new ChatMessage.Text(i == 0 && !before.isBlank() ? before.strip() + " " + stamp : stamp));
            content.add(new ChatMessage.Image());
        }
        if (!after.isEmpty()) {
            content.add(new ChatMessage.Text(after));
        }
        return content;
    }

    /**
     * Soft-token embeddings of frame i on demand: the batch holding i is preprocessed and encoded
     * when first asked for and replaces the previous one. Frames are asked for in order.
     */
    public static IntFunction<float[]> lazyEmbeddings(VisionEncoder encoder, List<VideoFrame> frames, int batch) {
        if (batch <= 0) {
            throw new IllegalArgumentException("the batch must hold at least one frame, not " + batch);
        }
        var preprocessing = VisionPreprocessing.of(encoder.config());
        return new IntFunction<>() {
            private int first = -1;
            private List<float[]> current = List.of();

            @Override
            public float[] apply(int i) {
                if (first < 0 || i < first || i >= first + current.size()) {
                    first = (i / batch) * batch;
                    List<FloatTensor> pixels = new ArrayList<>();
                    for (int k = first; k < Math.min(frames.size(), first + batch); k++) {
                        pixels.add(ImagePreprocessor.preprocess(frames.get(k).image(), preprocessing));
                    }
                    current = encoder.encode(pixels);
                }
                return current.get(i - first);
            }
        };
    }
}
