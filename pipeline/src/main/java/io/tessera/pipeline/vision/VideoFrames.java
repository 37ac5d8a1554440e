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
     * The video's audio track cut at the frames' timestamps (16 kHz samples): segment i runs from
     * frame i's timestamp to frame i+1's, the first from the start of the track, the last to its
     * end, so that each frame is followed by the sound of the time until the next one. A segment
     * may be empty (frames closer than one sample, or a track shorter than the video).
     */
    public static List<float[]> audioSegments(List<VideoFrame> frames, float[] track, int sampleRate) {
        List<float[]> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < frames.size(); i++) {
            int to = i + 1 == frames.size() ? track.length
                    : (int) Math.min(track.length, Math.max(from, Math.round(frames.get(i + 1).timestampMicros()
                            * (double) sampleRate / 1e6)));
            out.add(java.util.Arrays.copyOfRange(track, from, to));
            from = to;
        }
        return out;
    }

    /**
     * As {@link #userContent(String, List)}, with the audio track interleaved by time: after frame
     * i's image comes an audio item for {@code audio.get(i)} when that segment has samples
     * ({@link #audioSegments}).
     */
    public static List<ChatMessage.Content> userContent(String text, List<VideoFrame> frames, List<float[]> audio) {
        if (audio.size() != frames.size()) {
            throw new IllegalArgumentException(audio.size() + " audio segments for " + frames.size() + " frames");
        }
        List<ChatMessage.Content> plain = userContent(text, frames);
        List<ChatMessage.Content> content = new ArrayList<>();
        int frame = 0;
        for (ChatMessage.Content c : plain) {
            content.add(c);
            if (c instanceof ChatMessage.Image) {
                if (audio.get(frame).length > 0) {
                    content.add(new ChatMessage.Audio());
                }
                frame++;
            }
        }
        return content;
    }

    /** The segments of {@link #audioSegments} that have samples, in order: the clips their audio items stand for. */
    public static List<float[]> nonEmpty(List<float[]> segments) {
        return segments.stream().filter(s -> s.length > 0).toList();
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
